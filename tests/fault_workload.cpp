// A workload that misbehaves on purpose, linked only into the test build of concbench
// (concbench-faulty), so the harness's isolation can be tested against real children.
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <stdexcept>

#include "workload.hpp"

namespace concbench {
namespace {

class FaultRun final : public WorkloadRun {
  public:
    explicit FaultRun(const Params& p) : mode_(p.choice("mode")) {}

    std::size_t tasks() const override { return 1; }

    Task<void> task(Io& io, std::size_t) override {
        co_await io.sleep(std::chrono::milliseconds(1));
        if (mode_ == "crash") {
            std::signal(SIGSEGV, SIG_DFL);  // past any sanitizer's handler: a plain crash
            std::raise(SIGSEGV);
        }
        if (mode_ == "abort") std::abort();
        if (mode_ == "exit") std::_Exit(3);
        if (mode_ == "throw") throw std::runtime_error("the fault workload threw");
        if (mode_ == "hang") co_await io.sleep(std::chrono::hours(1));
    }

    std::string validate() const override {
        return mode_ == "invalid" ? "the fault workload's answer is wrong on purpose" : "";
    }

  private:
    std::string mode_;
};

}  // namespace

CONCBENCH_WORKLOAD(fault, FaultRun)
    ->kind(Kind::mixed)
    ->description(
        "test only: a run that succeeds, crashes, aborts, exits, throws, hangs or is invalid")
    ->param(ParamSpec::choice("mode", {"ok", "crash", "abort", "exit", "throw", "hang", "invalid"},
                              "ok", "how the run misbehaves"));

}  // namespace concbench
