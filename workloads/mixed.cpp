// mixed: the http workload where each right response is followed by `cpu_us` microseconds
// of real CPU work through io.offload(), as a server does when it parses or renders what it
// fetched. With the async backends' offload=inline the work runs on the event loop and every
// other request waits behind it (what every tutorial warns about); offload=pool (or tbb)
// moves it off the loop. The effect shows in the per-request latency (p99) and throughput.
//
// With cpu_every=n only every n-th request does the work, so the others' latency shows what
// the work costs requests that do none. The work is the cpu workload's kernel, calibrated
// once per run (before timing) to steps per microsecond on this machine, and each request's
// answer is checked by jump-ahead.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "cpu_kernel.hpp"
#include "http_run.hpp"

namespace concbench {
namespace {

/// Kernel steps in one microsecond on this machine: the best of five timed runs of 2^20.
std::uint64_t steps_per_us() {
    static const std::uint64_t steps = [] {
        constexpr std::uint64_t kProbe = 1 << 20;
        double best = 1e9;
        for (int r = 0; r < 5; ++r) {
            const auto t0 = std::chrono::steady_clock::now();
            volatile std::uint64_t sink = cpu_kernel::step(static_cast<std::uint64_t>(r), kProbe);
            (void)sink;
            best = std::min(
                best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        }
        return std::max<std::uint64_t>(1, static_cast<std::uint64_t>(kProbe / (best * 1e6)));
    }();
    return steps;
}

class MixedRun final : public HttpRun {
  public:
    MixedRun(const Params& p, const RunContext& ctx)
        : HttpRun(p, ctx),
          cpu_us_(static_cast<std::uint64_t>(p.duration("cpu_us") / std::chrono::microseconds(1))),
          every_(static_cast<std::size_t>(p.integer("cpu_every"))),
          steps_(cpu_us_ * steps_per_us()),
          results_(tasks(), 0),
          done_(tasks(), 0) {}

    std::string validate() const override {
        if (std::string why = HttpRun::validate(); !why.empty()) return why;
        // A request that failed (counted in errors()) did no work; every other one due did.
        const bool all_ok = errors().total() == 0;
        for (std::size_t i = 0; i < results_.size(); ++i) {
            if (!done_[i]) {
                if (all_ok && i % every_ == 0)
                    return fmt::format("request {} succeeded but did not do its CPU work", i);
                continue;
            }
            const auto want = cpu_kernel::jump(cpu_kernel::seed(i), steps_);
            if (results_[i] != want)
                return fmt::format("request {}: checksum {:#018x}, expected {:#018x}", i,
                                   results_[i], want);
        }
        return {};
    }

    std::map<std::string, std::string> facts() const override {
        return {{"cpu_steps_per_us", std::to_string(steps_per_us())}};
    }

  protected:
    Task<void> after_response(Io& io, std::size_t i) override {
        if (i % every_ != 0) co_return;
        results_[i] = co_await io.offload(
            [this, i] { return cpu_kernel::step(cpu_kernel::seed(i), steps_); });
        done_[i] = 1;
    }

  private:
    std::uint64_t cpu_us_;
    std::size_t every_;
    std::uint64_t steps_;
    // Slot i is written by task i only, and read after every task ended.
    std::vector<std::uint64_t> results_;
    std::vector<unsigned char> done_;  // 1: task i did its work
};

}  // namespace

CONCBENCH_WORKLOAD(mixed, MixedRun)
    ->kind(Kind::mixed)
    ->description(
        "the http workload with `cpu_us` microseconds of checked CPU work after each response, "
        "through offload(): inline on async blocks the event loop for every other request")
    ->param(ParamSpec::duration("cpu_us", "us", 100, 0, 10'000'000,
                                "CPU work after each response (calibrated kernel steps)"))
    ->param(ParamSpec::integer("cpu_every", 1, 1, 1'000'000,
                               "only every n-th request does the work (request i when i % n == "
                               "0); the others show what it costs the requests that do none"));
[[maybe_unused]] static WorkloadDef* const mixed_declared = HttpRun::declare(concbench_workload_mixed)
    ->smoke({{"requests", "20"}, {"concurrency", "4"}, {"cpu_us", "50"}});

}  // namespace concbench
