// sleep: `tasks` concurrent tasks, each waiting `ms`. Pure waiting, no CPU: the cost of a
// waiting task is all a backend can differ in.
#include <fmt/format.h>

#include <atomic>
#include <chrono>

#include "workload.hpp"

namespace concbench {
namespace {

class SleepRun final : public WorkloadRun {
  public:
    explicit SleepRun(const Params& p)
        : tasks_(static_cast<std::size_t>(p.integer("tasks"))), d_(p.duration("ms")) {}

    std::size_t tasks() const override { return tasks_; }

    Task<void> task(Io& io, std::size_t) override {
        const auto t0 = std::chrono::steady_clock::now();
        co_await io.sleep(d_);
        if (std::chrono::steady_clock::now() - t0 < d_)
            woke_early_.fetch_add(1, std::memory_order_relaxed);
        done_.fetch_add(1, std::memory_order_relaxed);
    }

    std::string validate() const override {
        if (done_ != tasks_) return fmt::format("{} of {} tasks completed", done_.load(), tasks_);
        if (woke_early_ != 0)
            return fmt::format("{} of {} tasks woke before {} ns", woke_early_.load(), tasks_,
                               d_.count());
        return {};
    }

    std::optional<double> ideal_wall_s(const Shape& s) const override {
        const std::size_t waves = (s.tasks + s.concurrency - 1) / s.concurrency;
        return static_cast<double>(waves) * std::chrono::duration<double>(d_).count();
    }

  private:
    std::size_t tasks_;
    std::chrono::nanoseconds d_;
    std::atomic<std::size_t> done_{0};
    std::atomic<std::size_t> woke_early_{0};
};

}  // namespace

CONCBENCH_WORKLOAD(sleep, SleepRun)
    ->kind(Kind::io)
    ->description("tasks that each sleep `ms`: pure waiting, so only the cost of waiting differs")
    ->param(ParamSpec::integer("tasks", 1000, 1, 10'000'000, "root tasks"))
    ->param(ParamSpec::duration("ms", "ms", 100, 0, 3'600'000, "how long each task sleeps"))
    ->smoke({{"tasks", "20"}, {"ms", "1"}});

}  // namespace concbench
