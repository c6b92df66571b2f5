// async and async-mt: root tasks are coroutines on one Boost.Asio io_context, run by one
// thread (async) or by N threads (async-mt). The same code; only the thread count differs.
#include <algorithm>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "asio_io.hpp"
#include "backend.hpp"
#include "pool_offloader.hpp"
#include "root_tasks.hpp"
#include "tbb_offloader.hpp"

namespace concbench {

namespace asio = boost::asio;

namespace {
class AsioBackend : public Backend {
  public:
    /// `offload`: a value of offload_param().
    AsioBackend(std::size_t threads, const std::string& offload)
        : threads_(threads), ctx_(static_cast<int>(threads)) {
        // Started before the timed run.
        if (offload == "pool") offloader_ = std::make_unique<PoolOffloader>(hardware_threads());
        if (offload == "tbb") offloader_ = std::make_unique<TbbOffloader>(hardware_threads());
    }

    RunOutcome run(const RunPlan& plan) override {
        asio::io_context& ctx = ctx_;
        ctx.restart();
        AsioIo io(ctx, offloader_.get());

        // Each finished task starts the next, so at most `concurrency` are in flight. Starts
        // are posted, never nested, so a task that finishes without suspending cannot
        // recurse into the next one.
        std::atomic<std::size_t> next{plan.concurrency};
        std::optional<RootTasks> roots;
        roots.emplace(plan, io, [&](std::size_t) {
            const std::size_t n = next.fetch_add(1, std::memory_order_relaxed);
            if (n < plan.tasks) asio::post(ctx, [&roots, n] { roots->start(n); });
        });
        // A plan of no tasks still has a concurrency of 1: start only tasks that exist.
        for (std::size_t i = 0; i < std::min(plan.concurrency, plan.tasks); ++i)
            asio::post(ctx, [&roots, i] { roots->start(i); });

        std::vector<std::thread> helpers;
        for (std::size_t t = 1; t < threads_; ++t) helpers.emplace_back([&ctx] { ctx.run(); });
        ctx.run();
        for (auto& t : helpers) t.join();
        // Nothing is left on the offloader: every offload resumed its task, and every task
        // ended.
        return roots->outcome();
    }

    std::size_t parallelism(std::size_t concurrency) const override {
        const std::size_t cores = hardware_threads();
        if (offloader_) return std::min(offloader_->threads(), cores);
        return std::min({threads_, concurrency, cores});
    }

  private:
    std::size_t threads_;
    // A member, made before the timed run, that outlives the workload's connections.
    asio::io_context ctx_;
    // After ctx_, so it is destroyed first, which waits for its threads: one may still be
    // unwinding a job whose last act was to post its task's resumption to ctx_ (and to
    // release the job's work guard on ctx_).
    std::unique_ptr<Offloader> offloader_;
};

ParamSpec offload_param() {
    return ParamSpec::choice("offload", {"inline", "pool", "tbb"}, "inline",
                             "where offload() runs CPU work: inline on the loop thread (blocks "
                             "it), on an Asio thread pool of one thread per core (pool), or in "
                             "a oneTBB arena of one worker per core (tbb, like tokio's "
                             "spawn_blocking)");
}

/// async: the loop run by one thread.
class AsyncBackend final : public AsioBackend {
  public:
    explicit AsyncBackend(const Params& p) : AsioBackend(1, p.choice("offload")) {}
};

/// async-mt: the same loop run by `threads` threads.
class AsyncMtBackend final : public AsioBackend {
  public:
    explicit AsyncMtBackend(const Params& p)
        : AsioBackend(static_cast<std::size_t>(p.integer("threads")),
                      p.choice("offload")) {}
};
}  // namespace

CONCBENCH_BACKEND("async", AsyncBackend)
    ->description(
        "single-thread async: C++20 coroutines on one Boost.Asio io_context run by one thread")
    ->param(offload_param())
    ->order(backend_order::async);

CONCBENCH_BACKEND("async-mt", AsyncMtBackend)
    ->description(
        "multithreaded async: the same coroutines on one io_context run by `threads` threads")
    ->param(ParamSpec::integer("threads", static_cast<std::int64_t>(hardware_threads()), 1, 1024,
                               "threads running the io_context (default: hardware threads)"))
    ->param(offload_param())
    ->order(backend_order::async_mt);

}  // namespace concbench
