// Io: the operations a workload may wait on, the same source on every backend. Io itself
// holds the scheduling operations (sleep, yield, offload, join); each kind of IO is a facet
// of its own with the same design, reached from here: io.net() for the network (net.hpp).
//
// Each operation is an awaitable that calls one backend hook from await_suspend. A blocking
// backend finishes the operation right there and returns false, so the coroutine goes on
// without suspending; an async backend starts the operation, returns true, and resumes the
// coroutine from its completion handler. The workload cannot tell which happened.
#pragma once

#include <chrono>
#include <condition_variable>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <stop_token>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "event.hpp"
#include "files.hpp"
#include "net.hpp"
#include "op_result.hpp"
#include "task.hpp"

namespace concbench {

/// A type-erased reference to a piece of CPU work: run(self) does it.
struct Job {
    void (*run)(void* self);
    void* self;
    void operator()() const { run(self); }
};

class Io {
  public:
    using Duration = std::chrono::nanoseconds;

    virtual ~Io() = default;

    /// Waits at least `d`: a blocking sleep on blocking backends, a timer on async ones.
    [[nodiscard]] auto sleep(Duration d) noexcept { return SleepAwaitable{*this, d}; }

    /// sleep(d) that a stop request on `stop` cuts short, from any thread, before or while it
    /// waits. Returns true if it waited all of `d`, false if it was stopped (at once, without
    /// waiting, when stop was requested before it began). A blocking backend wakes the
    /// sleeping thread; an async one cancels the timer on its loop.
    [[nodiscard]] auto sleep(Duration d, std::stop_token stop) noexcept {
        return StoppableSleepAwaitable{*this, d, std::move(stop)};
    }

    /// Lets the other tasks that are ready run first, then resumes: a post to the event loop
    /// on async backends, nothing on blocking ones (no other task shares their thread).
    [[nodiscard]] auto yield() noexcept { return YieldAwaitable{*this}; }

    /// Runs CPU work `fn` and returns its result (or rethrows its exception). Where it runs
    /// is the backend's policy: inline on the calling thread, or on a worker pool.
    template <class F>
    [[nodiscard]] auto offload(F fn) {
        return OffloadAwaitable<F>{*this, std::move(fn)};
    }

    /// Runs `children` concurrently in the backend's model (one after another on sync, a
    /// thread each on threads, on the event loop on async) and resumes when all have
    /// finished. Then rethrows the exception of the first failed child, if any.
    /// `children` must outlive the co_await.
    [[nodiscard]] auto join(std::span<Task<void>> children) noexcept {
        return JoinAwaitable{*this, children};
    }

    /// Waits until `event` is set (at once if it is set already): blocks the thread on
    /// blocking backends, suspends the task on async ones. One waiter per event at a time.
    [[nodiscard]] auto wait(Event& event) noexcept { return WaitAwaitable{*this, event}; }

    /// The network operations (connect, http_get) of this backend.
    virtual Net& net() noexcept = 0;

    /// The file operations (read_at, write_at, sync) of this backend. By default the
    /// blocking ones (pread, pwrite, fsync on the calling thread), right for any backend whose
    /// tasks may block their thread; an event loop overrides it.
    virtual Files& files() noexcept { return blocking_files(); }

    /// join() for children with results: returns them in order.
    template <class T>
    Task<std::vector<T>> join_all(std::vector<Task<T>> children);
    Task<void> join_all(std::vector<Task<void>> children);

  protected:
    // Backend hooks. Each either finishes the operation on the calling thread and returns
    // false, or returns true and later resumes `h` on one of the backend's threads.
    virtual bool suspend_sleep(Duration d, std::coroutine_handle<> h) = 0;
    virtual bool suspend_yield(std::coroutine_handle<> h) = 0;
    virtual bool suspend_offload(Job job, std::coroutine_handle<> h) = 0;
    /// Precondition: !children.empty(). May throw (e.g. a thread could not be created) only
    /// after every child it started has finished.
    virtual bool suspend_join(std::span<Task<void>> children, std::coroutine_handle<> h) = 0;
    /// By default blocks the calling thread until `event` is set, so that blocking backends
    /// need no code; an async backend arms `w` (Event::arm) and resumes from w.wake.
    virtual bool suspend_wait(Event& event, Event::Waiter& w, std::coroutine_handle<> h) {
        (void)w, (void)h;
        event.wait_blocking();
        return false;
    }

  private:
    struct SleepAwaitable {
        Io& io;
        Duration d;
        bool await_ready() const noexcept { return false; }
        bool await_suspend(std::coroutine_handle<> h) { return io.suspend_sleep(d, h); }
        void await_resume() const noexcept {}
    };

    struct StoppableSleepAwaitable {
        Io& io;
        Duration d;
        std::stop_token stop;
        bool stopped = false;
        bool await_ready() noexcept {
            stopped = stop.stop_requested();
            return stopped;
        }
        bool await_suspend(std::coroutine_handle<> h) {
            return io.suspend_sleep_stoppable(d, stop, stopped, h);
        }
        bool await_resume() const noexcept { return !stopped; }
    };

    struct YieldAwaitable {
        Io& io;
        bool await_ready() const noexcept { return false; }
        bool await_suspend(std::coroutine_handle<> h) { return io.suspend_yield(h); }
        void await_resume() const noexcept {}
    };

    template <class F>
    struct OffloadAwaitable {
        using R = std::invoke_result_t<F&>;
        using Slot = std::conditional_t<std::is_void_v<R>, bool, std::optional<R>>;
        Io& io;
        F fn;
        Slot result{};
        std::exception_ptr error{};

        static void invoke(void* p) {
            auto& self = *static_cast<OffloadAwaitable*>(p);
            try {
                if constexpr (std::is_void_v<R>) {
                    self.fn();
                } else {
                    self.result.emplace(self.fn());
                }
            } catch (...) {
                self.error = std::current_exception();
            }
        }
        bool await_ready() const noexcept { return false; }
        bool await_suspend(std::coroutine_handle<> h) {
            return io.suspend_offload(Job{&invoke, this}, h);
        }
        R await_resume() {
            if (error) std::rethrow_exception(error);
            if constexpr (!std::is_void_v<R>) return std::move(*result);
        }
    };

    struct WaitAwaitable {
        Io& io;
        Event& event;
        Event::Waiter waiter{};
        bool await_ready() const noexcept { return event.is_set(); }
        bool await_suspend(std::coroutine_handle<> h) { return io.suspend_wait(event, waiter, h); }
        void await_resume() const noexcept {}
    };

    struct JoinAwaitable {
        Io& io;
        std::span<Task<void>> children;
        bool await_ready() const noexcept { return children.empty(); }
        bool await_suspend(std::coroutine_handle<> h) { return io.suspend_join(children, h); }
        void await_resume() const {
            for (const auto& c : children)
                if (c.error()) std::rethrow_exception(c.error());
        }
    };

  protected:
    /// The hook of sleep(d, stop): sets `stopped` when a stop request ended the wait early.
    /// By default blocks the calling thread on a condition variable that the stop request
    /// wakes, so that blocking backends need no code; an async backend overrides it with a
    /// timer that a stop request cancels.
    virtual bool suspend_sleep_stoppable(Duration d, std::stop_token stop, bool& stopped,
                                         std::coroutine_handle<> h) {
        (void)h;
        std::mutex m;
        std::condition_variable_any cv;
        std::unique_lock lock(m);
        // Returns the predicate: whether the wait ended with stop requested (not the time up).
        stopped = cv.wait_for(lock, stop, d, [&] { return stop.stop_requested(); });
        return false;
    }
};

namespace detail {
template <class T>
Task<void> store_into(Task<T> task, std::optional<T>& slot) {
    slot.emplace(co_await std::move(task));
}
}  // namespace detail

template <class T>
Task<std::vector<T>> Io::join_all(std::vector<Task<T>> children) {
    std::vector<std::optional<T>> slots(children.size());
    std::vector<Task<void>> wrapped;
    wrapped.reserve(children.size());
    for (std::size_t i = 0; i < children.size(); ++i)
        wrapped.push_back(detail::store_into(std::move(children[i]), slots[i]));
    co_await join(wrapped);
    std::vector<T> out;
    out.reserve(slots.size());
    for (auto& s : slots) out.push_back(std::move(*s));
    co_return out;
}

inline Task<void> Io::join_all(std::vector<Task<void>> children) {
    co_await join(children);
}

}  // namespace concbench
