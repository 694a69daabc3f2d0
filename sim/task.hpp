#pragma once
// A sub-story of a process: `KitWait w = co_await wait_for_kits(world, site, ...);` where
// the callee is a coroutine returning sim::Task<KitWait>. It runs inside the awaiting process
// (same slot, same interrupts), starts when awaited and hands its result, or its exception,
// back.

#include <coroutine>
#include <exception>
#include <optional>
#include <utility>

#include "sim/frame_allocator.hpp"
#include "sim/process.hpp"

namespace sim {

template <class T = void>
class Task;

namespace detail {

template <class T>
struct TaskPromiseBase : ProcessContext {
    std::coroutine_handle<> continuation;
    std::exception_ptr error;

    std::suspend_always initial_suspend() noexcept { return {}; }
    struct FinalAwaiter {
        bool await_ready() noexcept { return false; }
        template <class Promise>
        std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> self) noexcept {
            return self.promise().continuation;
        }
        void await_resume() noexcept {}
    };
    FinalAwaiter final_suspend() noexcept { return {}; }
    void unhandled_exception() noexcept { error = std::current_exception(); }

    static void* operator new(std::size_t bytes) { return FrameAllocator::allocate(bytes); }
    static void operator delete(void* frame, std::size_t bytes) noexcept {
        FrameAllocator::deallocate(frame, bytes);
    }
};

template <class T>
struct TaskPromise : TaskPromiseBase<T> {
    std::optional<T> value;
    Task<T> get_return_object() noexcept;
    template <class U>
    void return_value(U&& result) {
        value.emplace(std::forward<U>(result));
    }
    T take() {
        if (this->error) std::rethrow_exception(this->error);
        return std::move(*value);
    }
};

template <>
struct TaskPromise<void> : TaskPromiseBase<void> {
    Task<void> get_return_object() noexcept;
    void return_void() noexcept {}
    void take() {
        if (this->error) std::rethrow_exception(this->error);
    }
};

}  // namespace detail

template <class T>
class [[nodiscard]] Task {
  public:
    using promise_type = detail::TaskPromise<T>;
    using Handle = std::coroutine_handle<promise_type>;

    explicit Task(Handle handle) noexcept : handle_(handle) {}
    Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
    Task& operator=(Task&&) = delete;
    ~Task() {
        if (handle_) handle_.destroy();
    }

    bool await_ready() const noexcept { return false; }
    template <class Promise>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> parent) noexcept {
        promise_type& promise = handle_.promise();
        promise.sim = parent.promise().sim;
        promise.slot = parent.promise().slot;
        promise.continuation = parent;
        return handle_;
    }
    T await_resume() { return handle_.promise().take(); }

  private:
    Handle handle_;
};

namespace detail {
template <class T>
Task<T> TaskPromise<T>::get_return_object() noexcept {
    return Task<T>(std::coroutine_handle<TaskPromise<T>>::from_promise(*this));
}
inline Task<void> TaskPromise<void>::get_return_object() noexcept {
    return Task<void>(std::coroutine_handle<TaskPromise<void>>::from_promise(*this));
}
}  // namespace detail

}  // namespace sim
