#include "asio_io.hpp"

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>

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

bool AsioIo::suspend_yield(std::coroutine_handle<> h) {
    // Behind every handler already queued: the tasks that are ready run first.
    asio::post(ctx_, [h] { h.resume(); });
    return true;
}

bool AsioIo::suspend_offload(Job job, std::coroutine_handle<> h) {
    if (pool_ == nullptr) {
        job();  // inline: the loop thread does the work, and nothing else runs on it meanwhile
        return false;
    }
    // The guard keeps the loop running while the work is away on the pool.
    asio::post(*pool_, [job, h, &ctx = ctx_, guard = asio::make_work_guard(ctx_)] {
        job();
        asio::post(ctx, [h] { h.resume(); });
    });
    return true;
}

bool AsioIo::suspend_join(std::span<Task<void>> children, std::coroutine_handle<> h) {
    auto* state = new JoinState{ctx_, h, children.size()};
    for (auto& c : children)
        asio::post(ctx_, [&c, state] { c.start(&JoinState::child_done, state); });
    return true;
}

}  // namespace concbench
