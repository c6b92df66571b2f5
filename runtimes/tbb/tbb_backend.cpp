// tbb: root tasks and their children run as oneTBB tasks in a task_arena of `threads`
// threads (made before the timed run), the work-stealing way. CPU work runs inline on the
// worker; IO operations block it, so at most `threads` tasks wait on IO at once.
#include <oneapi/tbb/task_group.h>

#include <algorithm>
#include <atomic>
#include <optional>

#include "backend.hpp"
#include "root_tasks.hpp"
#include "tbb_arena.hpp"
#include "tbb_io.hpp"

namespace concbench {

namespace {
class TbbBackend final : public Backend {
  public:
    // One slot is the calling thread's: it runs tasks too while it waits in run().
    explicit TbbBackend(const Params& p)
        : arena_(static_cast<std::size_t>(p.integer("threads")), 1) {}

    RunOutcome run(const RunPlan& plan) override {
        TbbIo io(net_);
        tbb::task_group group;
        // Each finished root task spawns the next, so at most `concurrency` are in flight.
        // Spawned, never run inline, so the chain does not grow the stack.
        std::atomic<std::size_t> next{plan.concurrency};
        std::optional<RootTasks> roots;
        roots.emplace(plan, io, [&](std::size_t) {
            const std::size_t n = next.fetch_add(1, std::memory_order_relaxed);
            if (n < plan.tasks) group.run([&roots, n] { roots->start(n); });
        });
        arena_.arena().execute([&] {
            for (std::size_t i = 0; i < std::min(plan.concurrency, plan.tasks); ++i)
                group.run([&roots, i] { roots->start(i); });
            // A root task's after_finish spawns its successor before the task itself ends,
            // so the group is never empty while tasks remain.
            group.wait();
        });
        for (std::size_t i = 0; i < plan.tasks; ++i)
            if (!roots->finished(i))
                return roots->outcome("a task suspended on a blocking backend without resuming");
        return roots->outcome();
    }

    std::size_t parallelism(std::size_t concurrency) const override {
        return std::min({arena_.threads(), concurrency, hardware_threads()});
    }

  private:
    BlockingNet net_;  // outlives the workload's connections
    TbbArena arena_;
};
}  // namespace

CONCBENCH_BACKEND("tbb", TbbBackend)
    ->description(
        "oneTBB work-stealing: root tasks and children are tasks in an arena of `threads` "
        "threads; CPU work inline, IO blocks the worker")
    ->param(ParamSpec::integer("threads", static_cast<std::int64_t>(hardware_threads()), 1, 256,
                               "threads in the arena, the caller's included (default: hardware "
                               "threads)"))
    ->order(backend_order::tbb);

}  // namespace concbench
