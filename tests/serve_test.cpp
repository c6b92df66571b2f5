// `concbench serve` as a process, and the server fixture's lifetime in a suite.
#include <gtest/gtest.h>
#include <signal.h>

#include <cerrno>
#include <nlohmann/json.hpp>
#include <regex>

#include "process.hpp"

namespace concbench {
namespace {

using namespace testing_support;
namespace fs = std::filesystem;

std::string concbench() {
    return program_from_env("CONCBENCH");
}

bool alive(int pid) {
    return kill(pid, 0) == 0 || errno != ESRCH;
}

TEST(Serve, PrintsItsAddressAndStopsCleanlyOnSigterm) {
    Background server({concbench(), "serve", "--port", "0"});
    const std::string line = server.read_line();
    EXPECT_TRUE(std::regex_match(line, std::regex(R"(listening on 127\.0\.0\.1:\d+)"))) << line;
    EXPECT_EQ(server.stop(SIGTERM), 0);
}

TEST(Serve, SigintStopsItToo) {
    Background server({concbench(), "serve", "--port", "0", "--threads", "2"});
    server.read_line();
    EXPECT_EQ(server.stop(SIGINT), 0);
}

TEST(Serve, APortInUseIsOneLineAndExitCodeOne) {
    Background first({concbench(), "serve", "--port", "0"});
    const std::string line = first.read_line();
    const std::string port = line.substr(line.rfind(':') + 1);
    const Output o = run_program({concbench(), "serve", "--port", port});
    EXPECT_EQ(o.code, 1);
    EXPECT_EQ(o.err, "concbench: error: cannot listen on 127.0.0.1:" + port +
                         ": Address already in use\n");
}

TEST(Serve, RefusesToListenBeyondLoopback) {
    const Output o = run_program({concbench(), "serve", "--bind", "0.0.0.0"});
    EXPECT_EQ(o.code, 2);
    EXPECT_NE(o.err.find("loopback only"), std::string::npos) << o.err;
}

/// The pid from the harness's "delay server on ADDR (pid N)" line.
int server_pid(const std::string& err) {
    std::smatch m;
    if (!std::regex_search(err, m, std::regex(R"(delay server on \S+ \(pid (\d+)\))"))) return -1;
    return std::stoi(m[1]);
}

TEST(Fixture, OneServerForTheSuiteGoneAfterward) {
    TempDir tmp;
    const Output o =
        run_program({concbench(), "run", "--backend", "sync,async", "--workload", "http", "--param",
                     "requests=20", "--param", "keepalive=on,off", "--repetitions", "1",
                     "--no-report", "--out", (tmp.path() / "out").string()});
    ASSERT_EQ(o.code, 0) << o.err;
    const int pid = server_pid(o.err);
    ASSERT_GT(pid, 0) << o.err;
    EXPECT_FALSE(alive(pid)) << "the delay server outlived the suite";
    const auto lines = read_lines(tmp.path() / "out" / "results.jsonl");
    ASSERT_EQ(lines.size(), 4u);
    for (const auto& l : lines) {
        const auto r = nlohmann::json::parse(l);
        EXPECT_EQ(r.at("status"), "ok") << l;
        EXPECT_EQ(r.at("params").at("target"), "auto");  // the cell, not the port of the day
    }
}

TEST(Fixture, GoneAfterARunThatTimedOut) {
    TempDir tmp;
    const Output o =
        run_program({concbench(), "run", "--backend", "async", "--workload", "http", "--param",
                     "requests=5", "--param", "delay_ms=20000", "--timeout", "1", "--repetitions",
                     "1", "--no-report", "--out", (tmp.path() / "out").string()});
    ASSERT_EQ(o.code, 0) << o.err;
    const int pid = server_pid(o.err);
    ASSERT_GT(pid, 0) << o.err;
    EXPECT_FALSE(alive(pid));
    const auto r = nlohmann::json::parse(read_lines(tmp.path() / "out" / "results.jsonl").at(0));
    EXPECT_EQ(r.at("status"), "timeout");
}

TEST(Fixture, RunOneStartsItsOwnServerAndStopsIt) {
    const Output o = run_program({concbench(), "run-one", "--backend", "threads", "--workload",
                                  "http", "--param", "requests=10", "--param", "body_bytes=3000"});
    ASSERT_EQ(o.code, 0) << o.err;
    const auto m = nlohmann::json::parse(o.out);
    EXPECT_EQ(m.at("status"), "ok");
    EXPECT_EQ(m.at("ops"), 10);
}

TEST(Fixture, AnUnreachableTargetIsAFailedRunWithTheReason) {
    const Output o =
        run_program({concbench(), "run-one", "--backend", "async", "--workload", "http", "--param",
                     "requests=4", "--param", "target=127.0.0.1:1"});
    EXPECT_EQ(o.code, 1);
    const auto m = nlohmann::json::parse(o.out);
    EXPECT_EQ(m.at("status"), "failed");
    EXPECT_EQ(m.at("error"), "4 of 4 requests failed: connection refused (127.0.0.1:1)");
}

TEST(Fixture, ConcurrencyPastTheOpenFilesLimitFailsSayingHowToRaiseIt) {
    const std::string cmd = "ulimit -n 512; exec " + concbench() +
                            " run-one --backend async --workload http --param requests=1000 "
                            "--param target=127.0.0.1:1";
    const Output o = run_program({"/bin/sh", "-c", cmd});
    EXPECT_EQ(o.code, 1) << o.err;
    const auto m = nlohmann::json::parse(o.out);
    EXPECT_EQ(m.at("status"), "failed");
    EXPECT_EQ(m.at("error"),
              "concurrency 1000 needs about 1064 open files but the hard limit is 512: raise it "
              "as root with `ulimit -Hn 1064` (or in /etc/security/limits.conf), or lower "
              "concurrency");
}

}  // namespace
}  // namespace concbench
