// skynet: one task spawns `fanout` children, each of which spawns `fanout` more, down to
// `leaves` leaf tasks; each leaf returns its ordinal and the sums flow back up through
// join_all. Almost no work per task, so the run measures what a backend pays to create,
// schedule and join a task (the benchmark of github.com/atemerev/skynet).
//
// Any number of leaves is accepted: a node over the ordinals [first, first + count) splits
// them into min(fanout, count) nearly equal ranges, so a power of `fanout` gives the classic
// complete tree and any other count a tree whose last level is partly filled.
#include <fmt/format.h>

#include <atomic>
#include <vector>

#include "workload.hpp"

namespace concbench {
namespace {

class SkynetRun final : public WorkloadRun {
  public:
    explicit SkynetRun(const Params& p)
        : leaves_(static_cast<std::uint64_t>(p.integer("leaves"))),
          fanout_(static_cast<std::uint64_t>(p.integer("fanout"))) {}

    std::size_t tasks() const override { return 1; }

    Task<void> task(Io& io, std::size_t) override {
        sum_.store(co_await node(io, 0, leaves_), std::memory_order_relaxed);
        done_.store(true, std::memory_order_release);
    }

    std::string validate() const override {
        if (!done_.load(std::memory_order_acquire)) return "the root task did not finish";
        const std::uint64_t want = leaves_ * (leaves_ - 1) / 2;
        if (sum_ != want)
            return fmt::format("the sum of {} leaves is {}, expected {}", leaves_, sum_.load(),
                               want);
        return {};
    }

    /// One operation per leaf, as the other skynet implementations count it.
    std::uint64_t ops() const override { return leaves_; }

  private:
    /// The sum of the ordinals first .. first + count - 1, each from a leaf task.
    Task<std::uint64_t> node(Io& io, std::uint64_t first, std::uint64_t count) {
        if (count == 1) co_return first;
        const std::uint64_t parts = std::min(fanout_, count);
        std::vector<Task<std::uint64_t>> children;
        children.reserve(parts);
        for (std::uint64_t k = 0; k < parts; ++k) {
            // Part k covers [count*k/parts, count*(k+1)/parts): sizes differ by at most one.
            const std::uint64_t lo = count * k / parts, hi = count * (k + 1) / parts;
            children.push_back(node(io, first + lo, hi - lo));
        }
        std::uint64_t sum = 0;
        for (std::uint64_t s : co_await io.join_all(std::move(children))) sum += s;
        co_return sum;
    }

    std::uint64_t leaves_;
    std::uint64_t fanout_;
    std::atomic<std::uint64_t> sum_{0};
    std::atomic<bool> done_{false};
};

}  // namespace

CONCBENCH_WORKLOAD(skynet, SkynetRun)
    ->kind(Kind::cpu)
    ->description(
        "a tree of tasks, `fanout` children each, down to `leaves` leaves that return their "
        "ordinals, summed on the way up: the cost of spawning and joining tasks")
    ->param(ParamSpec::integer("leaves", 1'000'000, 1, 100'000'000,
                               "leaf tasks (any count; the tree is complete for a power of "
                               "fanout)"))
    ->param(ParamSpec::integer("fanout", 10, 2, 1000, "children per task"))
    ->smoke({{"leaves", "100"}});

}  // namespace concbench
