#include "asio_io.hpp"

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>

namespace concbench {

namespace asio = boost::asio;

namespace {
// One sleeping task costs its coroutine frame plus this: a timer and the wait operation
// Asio allocates for it. Nothing else is kept per task.
// The timer is bound to the io_context's own executor type: half the size of the
// type-erased default (asio::steady_timer).
using Timer = asio::basic_waitable_timer<std::chrono::steady_clock,
                                         asio::wait_traits<std::chrono::steady_clock>,
                                         asio::io_context::executor_type>;
struct SleepOp {
    Timer timer;
    std::coroutine_handle<> h;
};

/// A sleep that a stop request cuts short by cancelling its timer. The stop callback runs on
/// whichever thread requests the stop, so it only posts the cancel to the loop; the mutex
/// orders that cancel, and the timer's handler, after the start (the wait and the callback's
/// registration), since on async-mt each may run on another thread. The op lives until its
/// timer's handler and a posted cancel, if any, have both run.
struct StoppableSleepOp {
    struct Cancel {
        StoppableSleepOp* op;
        asio::io_context::executor_type loop;  // not read from the op: it may be mid-start
        void operator()() const {
            op->refs.fetch_add(1, std::memory_order_relaxed);
            asio::post(loop, [op = op] {
                {
                    std::lock_guard lock(op->m);
                    op->timer.cancel();  // nothing if the timer has fired already
                }
                op->release();
            });
        }
    };

    StoppableSleepOp(asio::io_context& ctx, Io::Duration d, bool& stop_flag,
                     std::coroutine_handle<> handle)
        : timer(ctx.get_executor(), d), stopped(stop_flag), h(handle) {}

    void release() {
        if (refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
    }

    Timer timer;
    bool& stopped;  // the awaitable's: written before `h` resumes
    std::coroutine_handle<> h;
    std::mutex m;
    std::optional<std::stop_callback<Cancel>> on_stop;
    std::atomic<int> refs{1};  // the timer's handler, and a posted cancel
};

struct JoinState {
    asio::io_context& ctx;
    std::coroutine_handle<> parent;
    std::atomic<std::size_t> remaining;

    static void child_done(void* p) {
        auto* self = static_cast<JoinState*>(p);
        if (self->remaining.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
        asio::post(self->ctx, [h = self->parent] { h.resume(); });
        delete self;
    }
};
}  // namespace

bool AsioIo::suspend_sleep(Duration d, std::coroutine_handle<> h) {
    auto* op = new SleepOp{Timer(ctx_.get_executor(), d), h};
    op->timer.async_wait([op](const boost::system::error_code&) {
        const std::coroutine_handle<> resume = op->h;
        delete op;
        resume.resume();
    });
    return true;
}

bool AsioIo::suspend_sleep_stoppable(Duration d, std::stop_token stop, bool& stopped,
                                     std::coroutine_handle<> h) {
    if (!stop.stop_possible()) return suspend_sleep(d, h);
    auto* op = new StoppableSleepOp(ctx_, d, stopped, h);
    std::lock_guard lock(op->m);
    op->timer.async_wait([op](const boost::system::error_code& ec) {
        { std::lock_guard started(op->m); }  // the start has finished: on_stop is in place
        // Deregistered before the op can go: waits for a callback running on another thread,
        // and after it no stop can post a cancel, so `refs` only falls from here.
        op->on_stop.reset();
        op->stopped = ec == asio::error::operation_aborted;
        const std::coroutine_handle<> resume = op->h;
        op->release();
        resume.resume();
    });
    // Called at once, here, if the stop was requested already: the cancel it posts waits
    // for the lock.
    op->on_stop.emplace(std::move(stop), StoppableSleepOp::Cancel{op, ctx_.get_executor()});
    return true;
}

bool AsioIo::suspend_yield(std::coroutine_handle<> h) {
    // Behind every handler already queued: the tasks that are ready run first.
    asio::post(ctx_, [h] { h.resume(); });
    return true;
}

bool AsioIo::suspend_offload(Job job, std::coroutine_handle<> h) {
    if (offloader_ == nullptr) {
        job();  // inline: the loop thread does the work, and nothing else runs on it meanwhile
        return false;
    }
    // The guard keeps the loop running while the work is away on the offloader's threads.
    offloader_->submit([job, h, &ctx = ctx_, guard = asio::make_work_guard(ctx_)] {
        job();
        asio::post(ctx, [h] { h.resume(); });
    });
    return true;
}

bool AsioIo::suspend_wait(Event& event, Event::Waiter& w, std::coroutine_handle<> h) {
    // Counted as work while it waits, so the loop does not run out of work and return
    // while the only thing left is a task that another thread will wake.
    w.wake = [](Event::Waiter* self) {
        auto& ctx = *static_cast<asio::io_context*>(self->ctx);
        asio::post(ctx, [h = self->h] { h.resume(); });
        ctx.get_executor().on_work_finished();  // after the post: the count never hits zero
    };
    w.h = h;
    w.ctx = &ctx_;
    ctx_.get_executor().on_work_started();
    if (event.arm(w)) return true;
    ctx_.get_executor().on_work_finished();  // set already: go on without suspending
    return false;
}

bool AsioIo::suspend_join(std::span<Task<void>> children, std::coroutine_handle<> h) {
    auto* state = new JoinState{ctx_, h, children.size()};
    for (auto& c : children)
        asio::post(ctx_, [&c, state] { c.start(&JoinState::child_done, state); });
    return true;
}

}  // namespace concbench
