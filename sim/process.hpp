#pragma once
// A process is one straight-line story written as a C++20 coroutine returning sim::Process.
// It waits with `co_await` on the kernel's awaitables (delay, until, pool.acquire, store.take,
// signal.wait, join) and on sim::Task sub-stories. The kernel owns a process from spawn() until
// it returns; its frame is freed then.

#include <coroutine>
#include <cstdint>
#include <exception>
#include <utility>

#include "sim/frame_allocator.hpp"

namespace sim {

class Simulation;

// What every coroutine that can wait knows: which simulation it lives in and which process
// (slot) it runs as. Sub-tasks inherit both from the process that awaits them.
struct ProcessContext {
    Simulation* sim = nullptr;
    std::uint32_t slot = 0;
};

// Thrown from the co_await a process is waiting at when another process interrupts it.
// Not catching it ends the process quietly (that is what interrupts are for); catching it
// lets the process clean up or carry on.
struct Interrupted {
    int cause = 0;
};

// How a wait ended, for waits that can time out.
enum class WakeReason : std::uint8_t { normal, timed_out, interrupted };

class Process {
  public:
    struct promise_type : ProcessContext {
        Process get_return_object() noexcept {
            return Process(std::coroutine_handle<promise_type>::from_promise(*this));
        }
        // The kernel starts the process (at the time it was spawned, in FIFO order).
        std::suspend_always initial_suspend() noexcept { return {}; }
        // Tells the kernel the process is over and does not suspend, so the frame frees
        // itself as the coroutine ends.
        struct FinalAwaiter {
            promise_type& promise;
            bool await_ready() noexcept;
            void await_suspend(std::coroutine_handle<>) noexcept {}
            void await_resume() noexcept {}
        };
        FinalAwaiter final_suspend() noexcept { return {*this}; }
        void return_void() noexcept {}
        void unhandled_exception() noexcept;

        static void* operator new(std::size_t bytes) { return FrameAllocator::allocate(bytes); }
        static void operator delete(void* frame, std::size_t bytes) noexcept {
            FrameAllocator::deallocate(frame, bytes);
        }
    };
    using Handle = std::coroutine_handle<promise_type>;

    Process(Process&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
    Process& operator=(Process&&) = delete;
    ~Process() {
        if (handle_) handle_.destroy();  // made but never spawned
    }

    // For Simulation::spawn: hands the coroutine over to the kernel.
    Handle release() noexcept { return std::exchange(handle_, {}); }

  private:
    explicit Process(Handle handle) noexcept : handle_(handle) {}
    Handle handle_;
};

// Names a spawned process; stays valid (and reports finished) after the process is gone.
struct ProcessRef {
    std::uint32_t slot = 0;
    std::uint32_t incarnation = 0;
    friend bool operator==(const ProcessRef&, const ProcessRef&) = default;
};

}  // namespace sim
