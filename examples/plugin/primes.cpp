// primes: an out-of-tree workload. Each of `tasks` tasks counts the primes below `limit` with
// a sieve (CPU work, through offload) and then waits `pause_ms` (IO-like waiting). Validated
// against an independent count by trial division. Built against the installed headers only.
#include <concbench/workload.hpp>

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace {

using namespace concbench;

/// Primes below n, by the sieve of Eratosthenes: the measured work.
std::uint64_t sieve_count(std::uint64_t n) {
    if (n < 3) return 0;
    std::vector<bool> composite(n, false);
    std::uint64_t count = 0;
    for (std::uint64_t i = 2; i < n; ++i) {
        if (composite[i]) continue;
        ++count;
        for (std::uint64_t j = i * i; j < n; j += i) composite[j] = true;
    }
    return count;
}

/// Primes below n, by trial division: slower, and shares no code with the sieve.
std::uint64_t trial_division_count(std::uint64_t n) {
    std::uint64_t count = 0;
    for (std::uint64_t k = 2; k < n; ++k) {
        bool prime = true;
        for (std::uint64_t d = 2; d * d <= k && prime; ++d) prime = k % d != 0;
        count += prime ? 1 : 0;
    }
    return count;
}

class PrimesRun final : public WorkloadRun {
  public:
    explicit PrimesRun(const Params& p)
        : tasks_(static_cast<std::size_t>(p.integer("tasks"))),
          limit_(static_cast<std::uint64_t>(p.integer("limit"))),
          pause_(p.duration("pause_ms")),
          counts_(tasks_) {}

    std::size_t tasks() const override { return tasks_; }

    Task<void> task(Io& io, std::size_t i) override {
        counts_[i] = co_await io.offload([n = limit_] { return sieve_count(n); });
        co_await io.sleep(pause_);
        done_.fetch_add(1, std::memory_order_relaxed);
    }

    std::string validate() const override {
        if (done_ != tasks_)
            return std::to_string(done_.load()) + " of " + std::to_string(tasks_) +
                   " tasks completed";
        const std::uint64_t expected = trial_division_count(limit_);
        for (std::size_t i = 0; i < tasks_; ++i)
            if (counts_[i] != expected)
                return "task " + std::to_string(i) + " counted " + std::to_string(counts_[i]) +
                       " primes below " + std::to_string(limit_) + ", not " +
                       std::to_string(expected);
        return {};
    }

    std::optional<double> ideal_wall_s(const Shape& s) const override {
        if (pause_.count() == 0) return std::nullopt;
        const std::size_t waves = (s.tasks + s.concurrency - 1) / s.concurrency;
        return static_cast<double>(waves) * std::chrono::duration<double>(pause_).count();
    }

  private:
    std::size_t tasks_;
    std::uint64_t limit_;
    std::chrono::nanoseconds pause_;
    std::vector<std::uint64_t> counts_;  // one slot per task: no two tasks write the same one
    std::atomic<std::size_t> done_{0};
};

}  // namespace

CONCBENCH_PLUGIN()

CONCBENCH_WORKLOAD(primes, PrimesRun)
    ->kind(Kind::mixed)
    ->description("an out-of-tree example: count primes with a sieve, then pause")
    ->param(ParamSpec::integer("tasks", 8, 1, 100'000, "root tasks"))
    ->param(ParamSpec::integer("limit", 100'000, 2, 10'000'000, "count the primes below this"))
    ->param(ParamSpec::duration("pause_ms", "ms", 10, 0, 60'000, "wait after counting"));
