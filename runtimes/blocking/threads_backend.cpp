// threads: one OS thread per root task, at most `concurrency` alive; every operation blocks.
#include <fmt/format.h>

#include <pthread.h>

#include <algorithm>
#include <climits>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "backend.hpp"
#include "blocking_io.hpp"
#include "os_thread.hpp"
#include "root_tasks.hpp"

namespace concbench {

namespace {
class ThreadsBackend final : public Backend {
  public:
    explicit ThreadsBackend(const Params& p)
        : stack_bytes_(static_cast<std::size_t>(p.integer("stack_kb")) * 1024) {}

    RunOutcome run(const RunPlan& plan) override {
        BlockingIo io(net_, BlockingIo::Join::thread_each, stack_bytes_);
        RootTasks roots(plan, io);
        std::mutex m;
        std::condition_variable cv;
        std::size_t alive = 0;          // guarded by m
        std::vector<pthread_t> exited;  // guarded by m: finished, not yet joined

        // Joins threads that have finished, so their stacks are freed while the run goes on.
        auto reap = [&](std::unique_lock<std::mutex>& lock) {
            std::vector<pthread_t> done;
            done.swap(exited);
            lock.unlock();
            for (pthread_t t : done) pthread_join(t, nullptr);
            lock.lock();
        };

        std::string error;
        for (std::size_t i = 0; i < plan.tasks; ++i) {
            std::unique_lock lock(m);
            cv.wait(lock, [&] { return alive < plan.concurrency; });
            reap(lock);
            ++alive;
            lock.unlock();
            pthread_t t;
            const int err = spawn_thread(
                [&, i] {
                    roots.start(i);
                    std::lock_guard guard(m);
                    --alive;
                    exited.push_back(pthread_self());
                    cv.notify_one();
                },
                stack_bytes_, t);
            if (err) {
                error = fmt::format("root task {} of {}: {}", i, plan.tasks, thread_failure(err));
                lock.lock();
                --alive;
                break;
            }
        }
        std::unique_lock lock(m);
        cv.wait(lock, [&] { return alive == 0; });
        reap(lock);
        return roots.outcome(error);
    }

    std::size_t parallelism(std::size_t concurrency) const override {
        return std::min(concurrency, hardware_threads());
    }

  private:
    std::size_t stack_bytes_;
    BlockingNet net_;  // outlives the workload's connections
};
/// Below PTHREAD_STACK_MIN, pthread_attr_setstacksize refuses the size: the declared minimum
/// is the system's, so such values are refused as input, not as failed runs. 0 keeps the
/// default.
ParamSpec stack_kb_spec() {
    const auto min_kb = static_cast<std::int64_t>((PTHREAD_STACK_MIN + 1023) / 1024);
    ParamSpec s = ParamSpec::integer(
        "stack_kb", 0, min_kb, 1 << 20,
        "stack size per thread in KiB (0: the system default, 8192 here)");
    s.special = {0};
    return s;
}
}  // namespace

CONCBENCH_BACKEND("threads", ThreadsBackend)
    ->description(
        "thread per task: one OS thread per root task (at most `concurrency` alive), blocking "
        "operations")
    ->param(stack_kb_spec())
    ->order(backend_order::threads);

}  // namespace concbench
