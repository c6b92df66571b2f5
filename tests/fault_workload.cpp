// A workload that misbehaves on purpose, linked only into the test build of concbench
// (concbench-faulty), so the harness's isolation can be tested against real children.
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <system_error>
#include <vector>

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
        if (mode_ == "sigkill") std::raise(SIGKILL);  // as the OOM killer or `kill -9` would
        if (mode_ == "bad_alloc") {
            std::vector<char> huge;
            huge.reserve(std::size_t{1} << 46);  // 64 TiB: more than any machine will give
        }
        if (mode_ == "emfile") exhaust_open_files();
        if (mode_ == "oom") touch_memory_forever();
    }

    std::string validate() const override {
        return mode_ == "invalid" ? "the fault workload's answer is wrong on purpose" : "";
    }

  private:
    /// Lowers the open-files limit and opens files until the kernel says EMFILE.
    static void exhaust_open_files() {
        rlimit lim{};
        getrlimit(RLIMIT_NOFILE, &lim);
        lim.rlim_cur = 64;
        setrlimit(RLIMIT_NOFILE, &lim);
        std::vector<int> fds;
        for (;;) {
            const int fd = open("/dev/null", O_RDONLY);
            if (fd < 0) {
                const int err = errno;
                for (int f : fds) close(f);
                throw std::system_error(err, std::generic_category(), "open /dev/null");
            }
            fds.push_back(fd);
        }
    }
    /// Allocates and touches 64 MiB at a time until something stops it (the OOM killer in a
    /// memory-limited cgroup, for a manual test; never run in CI).
    [[noreturn]] static void touch_memory_forever() {
        std::vector<std::unique_ptr<char[]>> blocks;
        for (;;) {
            constexpr std::size_t kBlock = 64 << 20;
            blocks.push_back(std::make_unique<char[]>(kBlock));
            for (std::size_t i = 0; i < kBlock; i += 4096) blocks.back()[i] = 1;
        }
    }

    std::string mode_;
};

}  // namespace

CONCBENCH_WORKLOAD(fault, FaultRun)
    ->kind(Kind::mixed)
    ->description(
        "test only: a run that succeeds, crashes, aborts, exits, throws, hangs, is invalid, is "
        "killed, or runs out of memory or open files")
    ->param(ParamSpec::choice("mode",
                              {"ok", "crash", "abort", "exit", "throw", "hang", "invalid",
                               "sigkill", "bad_alloc", "emfile", "oom"},
                              "ok", "how the run misbehaves"));

}  // namespace concbench
