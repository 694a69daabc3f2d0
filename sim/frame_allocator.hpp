#pragma once
// Coroutine frames come from per-thread free lists by size class, so starting a process costs
// no call to the global allocator once a replication has warmed up. Each replication runs on
// one thread; frames never cross threads.

#include <cstddef>

namespace sim {

class FrameAllocator {
  public:
    static void* allocate(std::size_t bytes);
    static void deallocate(void* frame, std::size_t bytes) noexcept;
};

}  // namespace sim
