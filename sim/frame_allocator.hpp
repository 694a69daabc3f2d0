#pragma once
// Coroutine frames come from per-thread free lists by size class, so starting a process costs
// no call to the global allocator once a replication has warmed up. Each replication runs on
// one thread; frames never cross threads.
//
// The fast path (a frame of a size seen before) is inline: a process is started and ended per
// customer, so two calls per customer showed in the kernel benchmark.

#include <cstddef>

namespace sim {

class FrameAllocator {
  public:
    static void* allocate(std::size_t bytes) {
#ifndef TRIALTWIN_NO_FRAME_POOL
        const std::size_t c = size_class(bytes);
        if (c < size_classes) {
            if (FreeFrame* frame = free_heads[c]) {
                free_heads[c] = frame->next;
                return frame;
            }
        }
#endif
        return allocate_new(bytes);
    }
    static void deallocate(void* frame, std::size_t bytes) noexcept {
#ifndef TRIALTWIN_NO_FRAME_POOL
        const std::size_t c = size_class(bytes);
        if (c < size_classes) {
            auto* node = static_cast<FreeFrame*>(frame);
            node->next = free_heads[c];
            free_heads[c] = node;
            return;
        }
#endif
        deallocate_unpooled(frame);
    }
    // Gives every pooled frame of this thread back to the global allocator (at thread exit).
    static void release_all() noexcept;

  private:
    static constexpr std::size_t granule_bytes = 64;
    static constexpr std::size_t size_classes = 64;  // frames up to 4 KiB are pooled
    struct FreeFrame {
        FreeFrame* next;
    };
    static constexpr std::size_t size_class(std::size_t bytes) noexcept {
        return (bytes + granule_bytes - 1) / granule_bytes;
    }
    // A frame from the global allocator (first use of a size class, or too big to pool).
    static void* allocate_new(std::size_t bytes);
    static void deallocate_unpooled(void* frame) noexcept;

    // Plain (constinit, trivially destructible) so that each access is a bare TLS load; the
    // lists are emptied at thread exit by a cleanup that allocate_new registers.
    static thread_local constinit inline FreeFrame* free_heads[size_classes] = {};
};

}  // namespace sim
