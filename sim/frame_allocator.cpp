#include "sim/frame_allocator.hpp"

#include <new>
#include <utility>

namespace sim {
namespace {

struct FreeListsCleanup {
    ~FreeListsCleanup();
};
thread_local FreeListsCleanup cleanup;

}  // namespace

FreeListsCleanup::~FreeListsCleanup() {
    FrameAllocator::release_all();
}

// TRIALTWIN_NO_FRAME_POOL: every frame from the global allocator, so that memory checkers
// (valgrind memcheck) see each frame's lifetime; for debugging only.
void* FrameAllocator::allocate_new(std::size_t bytes) {
#ifdef TRIALTWIN_NO_FRAME_POOL
    return ::operator new(bytes);
#else
    const std::size_t c = size_class(bytes);
    if (c >= size_classes) return ::operator new(bytes);
    (void)&cleanup;  // registers the thread-exit cleanup
    return ::operator new(c* granule_bytes);
#endif
}

void FrameAllocator::deallocate_unpooled(void* frame) noexcept {
    ::operator delete(frame);
}

void FrameAllocator::release_all() noexcept {
    for (FreeFrame*& head : free_heads) {
        while (head)
            ::operator delete(std::exchange(head, head->next));
    }
}

}  // namespace sim
