// pool: a fixed pool of `threads` OS threads, started before the timed run, taking root tasks
// from a queue; every operation blocks its worker. The model of classic thread-pool servers:
// when tasks outnumber threads, the rest wait in the queue, however little CPU they need.
#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>

#include "backend.hpp"
#include "pool_io.hpp"
#include "root_tasks.hpp"
#include "worker_pool.hpp"

namespace concbench {

namespace {
class PoolBackend final : public Backend {
  public:
    explicit PoolBackend(const Params& p)
        : threads_(static_cast<std::size_t>(p.integer("threads"))), pool_(threads_) {}

    RunOutcome run(const RunPlan& plan) override {
        PoolIo io(net_, pool_);
        RootTasks roots(plan, io);
        // A pool smaller than asked for would measure another configuration: no run at all.
        if (!pool_.error().empty())
            return roots.outcome(fmt::format("pool of {} threads: only {} started: {}", threads_,
                                             pool_.size(), pool_.error()));
        std::mutex m;
        std::condition_variable cv;
        std::size_t ended = 0;  // guarded by m: root tasks whose job has returned
        std::size_t next = std::min(plan.concurrency, plan.tasks);  // guarded by m
        bool stuck = false;                                         // guarded by m

        // Each root task's job queues the next one when it ends, so at most `concurrency`
        // are queued or running at once.
        std::function<void(std::size_t)> job_for;
        auto run_root = [&](std::size_t i) {
            roots.start(i);
            std::lock_guard lock(m);
            if (!roots.finished(i)) stuck = true;
            if (next < plan.tasks) pool_.submit([&job_for, n = next] { job_for(n); });
            ++next;
            ++ended;
            cv.notify_one();  // under the lock: run() cannot return while this job holds it
        };
        job_for = run_root;
        for (std::size_t i = 0; i < std::min(plan.concurrency, plan.tasks); ++i)
            pool_.submit([&job_for, i] { job_for(i); });

        {
            std::unique_lock lock(m);
            cv.wait(lock, [&] { return ended == plan.tasks; });
        }
        // The last jobs are still returning (and a worker that ran a child may not be idle
        // yet): the next run starts with every worker free.
        pool_.wait_idle();
        if (stuck) return roots.outcome("a task suspended on a blocking backend without resuming");
        return roots.outcome();
    }

    std::size_t parallelism(std::size_t concurrency) const override {
        return std::min({pool_.size(), concurrency, hardware_threads()});
    }

  private:
    std::size_t threads_;
    BlockingNet net_;  // outlives the workload's connections
    WorkerPool pool_;  // started here, outside the timed run
};
}  // namespace

CONCBENCH_BACKEND("pool", PoolBackend)
    ->description(
        "thread pool: `threads` OS threads, started before the run, take root tasks from a "
        "queue; blocking operations, so at most `threads` tasks make progress at once")
    ->param(ParamSpec::integer("threads", static_cast<std::int64_t>(hardware_threads()), 1, 4096,
                               "worker threads (default: hardware threads)"))
    ->order(backend_order::pool);

}  // namespace concbench
