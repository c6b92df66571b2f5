// sync: root tasks run one after another on the calling thread; every operation blocks.

#include "backend.hpp"
#include "blocking_io.hpp"
#include "root_tasks.hpp"

namespace concbench {

namespace {
class SyncBackend final : public Backend {
  public:
    explicit SyncBackend(const Params&) {}

    RunOutcome run(const RunPlan& plan) override {
        BlockingIo io(net_, BlockingIo::Join::in_order);
        RootTasks roots(plan, io);
        for (std::size_t i = 0; i < plan.tasks; ++i) {
            roots.start(i);
            if (!roots.finished(i))
                return roots.outcome("a task suspended on a blocking backend without resuming");
        }
        return roots.outcome();
    }
    std::size_t parallelism(std::size_t) const override { return 1; }

  private:
    BlockingNet net_;  // outlives the workload's connections
};
}  // namespace

CONCBENCH_BACKEND("sync", SyncBackend)
    ->description("sequential and blocking: one task after another on one thread")
    ->order(backend_order::sync);

}  // namespace concbench
