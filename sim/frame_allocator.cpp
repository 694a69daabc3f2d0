#include "sim/frame_allocator.hpp"

#include <new>
#include <utility>

namespace sim {
namespace {

constexpr std::size_t granule_bytes = 64;
constexpr std::size_t size_classes = 64;  // frames up to 4 KiB are pooled

struct FreeFrame {
    FreeFrame* next;
};

// Plain (constinit, trivially destructible) so that each access is a bare TLS load; the
// lists are emptied at thread exit by `cleanup`, which is touched only on the slow path.
thread_local constinit FreeFrame* free_heads[size_classes] = {};

struct FreeListsCleanup {
    ~FreeListsCleanup() {
        for (FreeFrame*& head : free_heads) {
            while (head)
                ::operator delete(std::exchange(head, head->next));
        }
    }
};
thread_local FreeListsCleanup cleanup;

std::size_t size_class(std::size_t bytes) {
    return (bytes + granule_bytes - 1) / granule_bytes;
}

}  // namespace

// TRIALTWIN_NO_FRAME_POOL: every frame from the global allocator, so that memory checkers
// (valgrind memcheck) see each frame's lifetime; for debugging only.
#ifdef TRIALTWIN_NO_FRAME_POOL
void* FrameAllocator::allocate(std::size_t bytes) {
    return ::operator new(bytes);
}
void FrameAllocator::deallocate(void* frame, std::size_t) noexcept {
    ::operator delete(frame);
}
#else
void* FrameAllocator::allocate(std::size_t bytes) {
    const std::size_t c = size_class(bytes);
    if (c >= size_classes) return ::operator new(bytes);
    if (FreeFrame* frame = free_heads[c]) {
        free_heads[c] = frame->next;
        return frame;
    }
    (void)&cleanup;  // registers the thread-exit cleanup
    return ::operator new(c* granule_bytes);
}

void FrameAllocator::deallocate(void* frame, std::size_t bytes) noexcept {
    const std::size_t c = size_class(bytes);
    if (c >= size_classes) {
        ::operator delete(frame);
        return;
    }
    auto* node = static_cast<FreeFrame*>(frame);
    node->next = free_heads[c];
    free_heads[c] = node;
}
#endif

}  // namespace sim
