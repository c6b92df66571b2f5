// Each run is a child process: a crash, a hang, an exception or a wrong answer costs one
// result, recorded with its reason, and finished results survive the parent being killed.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "process.hpp"

namespace concbench {
namespace {

using namespace testing_support;
using nlohmann::json;
namespace fs = std::filesystem;

std::string faulty() {
    return program_from_env("CONCBENCH_FAULTY");
}

std::vector<json> run_fault(const std::string& modes, const std::string& backend = "async",
                            const std::string& timeout = "30") {
    TempDir tmp;
    const Output o = run_program({faulty(), "run", "--workload", "fault", "--backend", backend,
                                  "--param", "mode=" + modes, "--repetitions", "1", "--timeout",
                                  timeout, "--no-report", "--out", (tmp.path() / "out").string()});
    EXPECT_EQ(o.code, 0) << o.err;
    std::vector<json> records;
    for (const auto& line : read_lines(tmp.path() / "out" / "results.jsonl"))
        records.push_back(json::parse(line));
    return records;
}

TEST(Isolation, CrashIsRecordedWithTheSignal) {
    const auto r = run_fault("crash");
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].at("status"), "crashed");
    EXPECT_NE(r[0].at("error").get<std::string>().find("SIGSEGV"), std::string::npos) << r[0];
    EXPECT_TRUE(r[0].at("wall_s").is_null());
}

TEST(Isolation, AbortAndExitWithoutResultAreCrashes) {
    const auto r = run_fault("abort,exit");
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].at("status"), "crashed");
    EXPECT_NE(r[0].at("error").get<std::string>().find("SIGABRT"), std::string::npos) << r[0];
    EXPECT_EQ(r[1].at("status"), "crashed");
    EXPECT_NE(r[1].at("error").get<std::string>().find("exited with code 3 without a result"),
              std::string::npos)
        << r[1];
}

TEST(Isolation, HangIsKilledAtTheTimeout) {
    const auto r = run_fault("hang", "sync", "1");
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].at("status"), "timeout");
    EXPECT_NE(r[0].at("error").get<std::string>().find("1 s timeout"), std::string::npos) << r[0];
}

TEST(Isolation, ExceptionIsAFailedRunWithItsMessage) {
    const auto r = run_fault("throw", "async-mt");
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].at("status"), "failed");
    EXPECT_EQ(r[0].at("error"), "1 of 1 tasks failed; first: task 0: the fault workload threw");
}

TEST(Isolation, WrongAnswerIsInvalid) {
    const auto r = run_fault("invalid", "threads");
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].at("status"), "invalid");
    EXPECT_EQ(r[0].at("validated"), false);
    EXPECT_NE(r[0].at("error").get<std::string>().find("wrong on purpose"), std::string::npos);
}

TEST(Isolation, TheSuiteGoesOnAfterAFailure) {
    const auto r = run_fault("crash,throw,ok");
    ASSERT_EQ(r.size(), 3u);
    EXPECT_EQ(r[0].at("status"), "crashed");
    EXPECT_EQ(r[1].at("status"), "failed");
    EXPECT_EQ(r[2].at("status"), "ok");
    EXPECT_EQ(r[2].at("validated"), true);
}

TEST(Isolation, AKillFromOutsideSaysItWasNeitherTheHarnessNorTheOomKiller) {
    const auto r = run_fault("sigkill");
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].at("status"), "crashed");
    const std::string error = r[0].at("error");
    // On a machine where the OOM killer struck meanwhile, the other wording is right.
    EXPECT_TRUE(error.find("not by the harness nor by the OOM killer") != std::string::npos ||
                error.find("killed by the kernel's OOM killer") != std::string::npos)
        << error;
}

TEST(Isolation, RunningOutOfOpenFilesNamesTheLimitAndHowToRaiseIt) {
    const auto r = run_fault("emfile", "threads");
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].at("status"), "failed");
    const std::string error = r[0].at("error");
    EXPECT_NE(error.find("too many open files (EMFILE): the limit is 64"), std::string::npos)
        << error;
    EXPECT_NE(error.find("ulimit -n"), std::string::npos) << error;
}

TEST(Isolation, RunningOutOfMemoryNamesTheLimits) {
    if (std::getenv("CONCBENCH_SANITIZER") &&
        std::string(std::getenv("CONCBENCH_SANITIZER")) != "none")
        GTEST_SKIP() << "sanitizer allocators abort on a 64 TiB request instead of throwing";
    const auto r = run_fault("bad_alloc", "async-mt");
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].at("status"), "failed");
    const std::string error = r[0].at("error");
    EXPECT_NE(error.find("out of memory (std::bad_alloc) at "), std::string::npos) << error;
    EXPECT_NE(error.find("ulimit -v"), std::string::npos) << error;
    EXPECT_NE(error.find("MemAvailable"), std::string::npos) << error;
}

bool process_with_arg_alive(const std::string& needle) {
    for (const auto& entry : fs::directory_iterator("/proc")) {
        std::ifstream in(entry.path() / "cmdline");
        std::string cmdline((std::istreambuf_iterator<char>(in)), {});
        if (cmdline.find(needle) != std::string::npos) return true;
    }
    return false;
}

TEST(Isolation, FinishedResultsSurviveTheParentBeingKilled) {
    TempDir tmp;
    const fs::path results = tmp.path() / "out" / "results.jsonl";
    const std::string marker = "ms=" + std::to_string(200 + getpid() % 100);  // unique per test
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        const std::string exe = faulty();
        execl(exe.c_str(), exe.c_str(), "run", "--backend", "sync", "--workload", "sleep",
              "--param", "tasks=1", "--param", marker.c_str(), "--repetitions", "100",
              "--no-report", "--out", (tmp.path() / "out").c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    // Wait for a few finished runs, then kill the parent while a child is in flight.
    for (int i = 0; i < 400 && (!fs::exists(results) || read_lines(results).size() < 3); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    std::this_thread::sleep_for(std::chrono::milliseconds(70));
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);

    const auto lines = read_lines(results);
    ASSERT_GE(lines.size(), 3u);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const json r = json::parse(lines[i]);  // every line whole
        EXPECT_EQ(r.at("status"), "ok");
        EXPECT_EQ(r.at("repetition"), static_cast<int>(i));
    }
    // The child in flight dies with its parent (PR_SET_PDEATHSIG).
    bool gone = false;
    for (int i = 0; i < 100 && !(gone = !process_with_arg_alive(marker)); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_TRUE(gone) << "a child with " << marker << " outlived the killed harness";
}

/// Starts a 12-run sync suite of 150 ms sleeps in the background; returns its pid.
pid_t start_suite(const fs::path& out, const std::string& marker) {
    const pid_t pid = fork();
    if (pid == 0) {
        const std::string exe = faulty();
        execl(exe.c_str(), exe.c_str(), "run", "--backend", "sync", "--workload", "sleep",
              "--param", "tasks=1", "--param", marker.c_str(), "--repetitions", "12", "--no-report",
              "--out", out.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    return pid;
}

void wait_for_lines(const fs::path& results, std::size_t n) {
    for (int i = 0; i < 400 && (!fs::exists(results) || read_lines(results).size() < n); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

/// Every repetition 0..n-1 exactly once, every line whole.
void expect_each_repetition_once(const fs::path& results, int n) {
    std::vector<int> seen(static_cast<std::size_t>(n), 0);
    for (const auto& line : read_lines(results)) {
        const json r = json::parse(line);
        EXPECT_EQ(r.at("status"), "ok");
        ++seen.at(r.at("repetition").get<std::size_t>());
    }
    EXPECT_EQ(seen, std::vector<int>(static_cast<std::size_t>(n), 1));
}

TEST(Interrupt, SigintStopsTheSuiteKeepsWhatFinishedAndResumeCompletesIt) {
    for (int sig : {SIGINT, SIGTERM}) {
        TempDir tmp;
        const fs::path out = tmp.path() / "out";
        const std::string marker = "ms=" + std::to_string(150 + sig);
        const pid_t pid = start_suite(out, marker);
        wait_for_lines(out / "results.jsonl", 2);
        std::this_thread::sleep_for(std::chrono::milliseconds(40));  // a run in flight
        kill(pid, sig);
        int status = 0;
        waitpid(pid, &status, 0);
        ASSERT_TRUE(WIFEXITED(status));
        EXPECT_EQ(WEXITSTATUS(status), 128 + sig);
        const auto before = read_lines(out / "results.jsonl").size();
        EXPECT_GE(before, 2u);
        EXPECT_LT(before, 12u);
        EXPECT_TRUE(fs::exists(out / "summary.json"));  // the summary of what finished
        EXPECT_FALSE(process_with_arg_alive(marker)) << "the run in flight outlived the suite";

        const Output o = run_program({faulty(), "run", "--resume", out.string(), "--no-report"});
        EXPECT_EQ(o.code, 0) << o.err;
        EXPECT_NE(o.err.find(fmt::format("resuming: {} runs already there", before)),
                  std::string::npos)
            << o.err;
        expect_each_repetition_once(out / "results.jsonl", 12);
    }
}

TEST(Interrupt, ResumeAfterSigkillLosesNoFinishedRunAndDuplicatesNone) {
    TempDir tmp;
    const fs::path out = tmp.path() / "out";
    const pid_t pid = start_suite(out, "ms=149");
    wait_for_lines(out / "results.jsonl", 3);
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    const auto before = read_lines(out / "results.jsonl");
    const Output o = run_program({faulty(), "run", "--resume", out.string(), "--no-report"});
    EXPECT_EQ(o.code, 0) << o.err;
    const auto after = read_lines(out / "results.jsonl");
    for (std::size_t i = 0; i < before.size(); ++i) EXPECT_EQ(after.at(i), before[i]);  // kept
    expect_each_repetition_once(out / "results.jsonl", 12);
}

TEST(Threads, CreationFailureIsAFailedRunSayingHowManyWereRunning) {
    if (std::getenv("CONCBENCH_SANITIZER") &&
        std::string(std::getenv("CONCBENCH_SANITIZER")) != "none")
        GTEST_SKIP() << "sanitizer runtimes need more address space than this test allows";
    // 64 MiB stacks under a 2 GiB address-space limit: thread creation fails after a few dozen.
    const std::string cmd = "ulimit -v 2000000; exec " + faulty() +
                            " run-one --backend threads --workload sleep --param tasks=200 "
                            "--param ms=500 --param stack_kb=65536";
    const Output o = run_program({"/bin/sh", "-c", cmd});
    EXPECT_EQ(o.code, 1) << o.err;
    const json m = json::parse(o.out);
    EXPECT_EQ(m.at("status"), "failed");
    const std::string error = m.at("error");
    EXPECT_NE(error.find("could not create thread: Resource temporarily unavailable"),
              std::string::npos)
        << error;
    EXPECT_NE(error.find("threads running; limits: kernel.pid_max="), std::string::npos) << error;
    EXPECT_LT(m.at("ops").get<int>(), 200);
}

}  // namespace
}  // namespace concbench
