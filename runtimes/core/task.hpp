// Task<T>: the lazy, single-owner coroutine type every workload is written in.
//
// Contract:
// - A Task does nothing until it is awaited (co_await std::move(task)) or started as a root
//   task by a backend (start()). It is destroyed with its owner.
// - Awaiting a task transfers control to it symmetrically and resumes the awaiter when it
//   finishes, so chains of nested tasks use no extra stack.
// - An exception escaping the body is stored and rethrown to the awaiter (or by get() for a
//   root task); it is never dropped.
// - A root task started with start(on_done, ctx) calls on_done(ctx) exactly once when it
//   finishes, on the thread that finished it. on_done may destroy the Task.
#pragma once

#include <coroutine>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

namespace concbench {

template <class T = void>
class Task;

namespace detail {

struct PromiseBase {
    std::coroutine_handle<> continuation;
    void (*on_done)(void*) = nullptr;
    void* done_ctx = nullptr;
    std::exception_ptr error;

    struct FinalAwaiter {
        bool await_ready() const noexcept { return false; }
        template <class Promise>
        std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> h) noexcept {
            PromiseBase& p = h.promise();
            if (p.continuation) return p.continuation;
            // The frame may be destroyed inside on_done: touch nothing of it afterwards.
            if (p.on_done) p.on_done(p.done_ctx);
            return std::noop_coroutine();
        }
        void await_resume() const noexcept {}
    };

    std::suspend_always initial_suspend() const noexcept { return {}; }
    FinalAwaiter final_suspend() const noexcept { return {}; }
    void unhandled_exception() noexcept { error = std::current_exception(); }
    void rethrow_if_failed() const {
        if (error) std::rethrow_exception(error);
    }
};

template <class T>
struct Promise : PromiseBase {
    std::optional<T> value;
    Task<T> get_return_object() noexcept;
    template <class U>
    void return_value(U&& v) noexcept(std::is_nothrow_constructible_v<T, U&&>) {
        value.emplace(std::forward<U>(v));
    }
    T take() {
        rethrow_if_failed();
        return std::move(*value);
    }
};

template <>
struct Promise<void> : PromiseBase {
    Task<void> get_return_object() noexcept;
    void return_void() const noexcept {}
    void take() const { rethrow_if_failed(); }
};

}  // namespace detail

template <class T>
class [[nodiscard]] Task {
  public:
    using promise_type = detail::Promise<T>;
    using Handle = std::coroutine_handle<promise_type>;

    Task() noexcept = default;
    explicit Task(Handle h) noexcept : h_(h) {}
    Task(Task&& o) noexcept : h_(std::exchange(o.h_, {})) {}
    Task& operator=(Task&& o) noexcept {
        if (this != &o) {
            reset();
            h_ = std::exchange(o.h_, {});
        }
        return *this;
    }
    Task(const Task&) = delete;
    Task& operator=(const Task&) = delete;
    ~Task() { reset(); }

    bool valid() const noexcept { return static_cast<bool>(h_); }
    bool done() const noexcept { return h_.done(); }

    /// Starts a root task. Precondition: valid() and never started.
    void start(void (*on_done)(void*), void* ctx) {
        h_.promise().on_done = on_done;
        h_.promise().done_ctx = ctx;
        h_.resume();
    }

    /// The result of a finished task; rethrows its exception. Precondition: done().
    T get() { return h_.promise().take(); }

    /// The stored exception of a finished task, or null.
    std::exception_ptr error() const noexcept { return h_.promise().error; }

    auto operator co_await() && noexcept {
        struct Awaiter {
            Handle h;
            bool await_ready() const noexcept { return false; }
            std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiter) noexcept {
                h.promise().continuation = awaiter;
                return h;
            }
            T await_resume() { return h.promise().take(); }
        };
        return Awaiter{h_};
    }

  private:
    void reset() noexcept {
        if (h_) h_.destroy();
        h_ = {};
    }
    Handle h_;
};

namespace detail {
template <class T>
Task<T> Promise<T>::get_return_object() noexcept {
    return Task<T>{std::coroutine_handle<Promise<T>>::from_promise(*this)};
}
inline Task<void> Promise<void>::get_return_object() noexcept {
    return Task<void>{std::coroutine_handle<Promise<void>>::from_promise(*this)};
}
}  // namespace detail

}  // namespace concbench
