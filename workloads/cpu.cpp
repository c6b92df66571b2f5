// cpu: `tasks` tasks, each `work` units of a real CPU kernel run through offload(). Async
// does not help here: only the cores a backend keeps busy do.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "cpu_kernel.hpp"
#include "workload.hpp"

namespace concbench {
namespace {

class CpuRun final : public WorkloadRun {
  public:
    explicit CpuRun(const Params& p)
        : tasks_(static_cast<std::size_t>(p.integer("tasks"))),
          steps_(static_cast<std::uint64_t>(p.integer("work")) * cpu_kernel::kStepsPerUnit),
          results_(tasks_, 0) {}

    std::size_t tasks() const override { return tasks_; }

    Task<void> task(Io& io, std::size_t i) override {
        results_[i] = co_await io.offload(
            [this, i] { return cpu_kernel::step(cpu_kernel::seed(i), steps_); });
    }

    std::string validate() const override {
        for (std::size_t i = 0; i < tasks_; ++i) {
            const auto want = cpu_kernel::jump(cpu_kernel::seed(i), steps_);
            if (results_[i] != want)
                return fmt::format("task {}: checksum {:#018x}, expected {:#018x}", i, results_[i],
                                   want);
        }
        return {};
    }

    /// Total work on one core over the cores used, and never less than one task.
    std::optional<double> ideal_wall_s(const Shape& s) const override {
        const double per_task = unit_seconds() * static_cast<double>(steps_) /
                                static_cast<double>(cpu_kernel::kStepsPerUnit);
        const double cores = static_cast<double>(std::max<std::size_t>(1, s.parallelism));
        return std::max(per_task, per_task * static_cast<double>(s.tasks) / cores);
    }

  private:
    /// Seconds for one unit on one core: the best of five timed units, measured once.
    static double unit_seconds() {
        static const double seconds = [] {
            double best = 1e9;
            for (int r = 0; r < 5; ++r) {
                const auto t0 = std::chrono::steady_clock::now();
                volatile std::uint64_t sink = cpu_kernel::step(r, cpu_kernel::kStepsPerUnit);
                (void)sink;
                best = std::min(
                    best,
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
            }
            return best;
        }();
        return seconds;
    }

    std::size_t tasks_;
    std::uint64_t steps_;
    std::vector<std::uint64_t> results_;  // results_[i] is written by task i only
};

}  // namespace

CONCBENCH_WORKLOAD(cpu, CpuRun)
    ->kind(Kind::cpu)
    ->description(
        "tasks that each step a 64-bit LCG `work` million times (about 1.25 ms per unit "
        "on the reference machine), checked by jump-ahead")
    ->param(ParamSpec::integer("tasks", 10, 1, 1'000'000, "root tasks"))
    ->param(ParamSpec::integer("work", 80, 1, 1'000'000,
                               "units of work per task; one unit is a million dependent steps"))
    ->smoke({{"tasks", "4"}, {"work", "1"}});

}  // namespace concbench
