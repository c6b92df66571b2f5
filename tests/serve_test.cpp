// `concbench serve` as a process, and the server fixture's lifetime in a suite.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "blocking_net.hpp"
#include "http_support.hpp"
#include "process.hpp"
#include "run_one.hpp"

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

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

/// The port in "listening on 127.0.0.1:PORT".
std::uint16_t port_of(const std::string& line) {
    return static_cast<std::uint16_t>(std::stoi(line.substr(line.rfind(':') + 1)));
}

/// CPU seconds (user + system) process `pid` has used.
double cpu_seconds(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::istringstream fields(text.substr(text.rfind(')') + 2));  // after "pid (comm) "
    std::string f;
    long ticks = 0;
    for (int i = 3; i <= 15 && fields >> f; ++i)  // fields 14 and 15: utime, stime
        if (i >= 14) ticks += std::stol(f);
    return static_cast<double>(ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

/// A field of /proc/PID/status in KiB, e.g. VmHWM (the peak resident set).
long status_kib(int pid, const std::string& field) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
    return -1;
}

/// Under AddressSanitizer the server's memory and stderr are not its own: the allocator's
/// quarantine keeps freed blocks resident, and the runtime needs descriptors and writes
/// reports of its own (e.g. under a 40-descriptor limit).
bool under_address_sanitizer() {
    const char* s = std::getenv("CONCBENCH_SANITIZER");
    return s && std::string(s).find("address") != std::string::npos;
}

TEST(Serve, OutOfOpenFilesItPausesAcceptingAndRecovers) {
    if (under_address_sanitizer())
        GTEST_SKIP() << "the ASan runtime needs descriptors and writes lines of its own";
    TempDir tmp;
    const auto err = tmp.path() / "stderr";
    Background server({"/bin/sh", "-c",
                       "ulimit -n 40; exec " + concbench() + " serve --port 0 2>" + err.string()});
    const Endpoint ep{"127.0.0.1", port_of(server.read_line())};
    asio::io_context ctx;
    std::vector<tcp::socket> clients;  // 80: about half are accepted, the rest wait
    for (int i = 0; i < 80; ++i)
        clients.emplace_back(ctx).connect({asio::ip::make_address(ep.host), ep.port});
    std::this_thread::sleep_for(200ms);
    const double cpu0 = cpu_seconds(server.pid());
    const auto t0 = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(1s);
    const double cpu = cpu_seconds(server.pid()) - cpu0;
    EXPECT_LT(cpu, 0.25) << "it spins on the failing accept";
    clients.clear();  // their sessions end, and free the descriptors
    BlockingNet net;
    std::string body;
    for (int tries = 0; tries < 50 && body.empty(); ++tries) {
        try {
            auto conn = net.blocking_connect(ep, 2000ms);
            body = net.blocking_get(*conn, "/bytes/10", false).body;
        } catch (const RequestError&) {
            std::this_thread::sleep_for(100ms);
        }
    }
    EXPECT_EQ(body, "abcdefghij") << "it does not serve again";
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    server.stop(SIGTERM);
    const auto lines = read_lines(err);
    ASSERT_FALSE(lines.empty()) << "it said nothing about the failing accepts";
    EXPECT_NE(lines[0].find("Too many open files"), std::string::npos) << lines[0];
    EXPECT_LE(static_cast<double>(lines.size()), seconds + 2) << "more than one line a second";
}

TEST(Serve, StreamsLargeBodiesToSlowReadersInBoundedMemory) {
    if (under_address_sanitizer())
        GTEST_SKIP() << "ASan's quarantine keeps freed memory resident: RSS is not the server's";
    Background server({concbench(), "serve", "--port", "0"});
    const Endpoint ep{"127.0.0.1", port_of(server.read_line())};
    asio::io_context ctx;
    std::vector<tcp::socket> readers;  // eight readers of 256 MiB that hardly read
    for (int i = 0; i < 8; ++i) {
        auto& s = readers.emplace_back(ctx);
        s.connect({asio::ip::make_address(ep.host), ep.port});
        asio::write(s, asio::buffer(std::string("GET /bytes/268435456 HTTP/1.1\r\n\r\n")));
    }
    std::string got;
    for (int round = 0; round < 10; ++round) {  // about 1 s, 64 KiB a reader each round
        for (auto& s : readers) {
            got.resize(64 << 10);
            asio::read(s, asio::buffer(got));
        }
        std::this_thread::sleep_for(100ms);
    }
    const long peak_kib = status_kib(server.pid(), "VmHWM");
    ASSERT_GT(peak_kib, 0);
    EXPECT_LT(peak_kib, 64 << 10) << "the server holds bodies: peak RSS " << peak_kib << " KiB";
    // What came is the body as generated: byte k is 'a' + k % 26 (after the head).
    std::string start(4096, '\0');
    tcp::socket check(ctx);
    check.connect({asio::ip::make_address(ep.host), ep.port});
    asio::write(check, asio::buffer(std::string("GET /bytes/268435456 HTTP/1.1\r\n\r\n")));
    asio::read(check, asio::buffer(start));
    const std::size_t body = start.find("\r\n\r\n") + 4;
    EXPECT_NE(start.find("Content-Length: 268435456\r\n"), std::string::npos);
    EXPECT_EQ(start.substr(body), deterministic_body(start.size() - body));
}

TEST(Fixture, ATargetThatIsNotALoopbackAddressIsAUsageError) {
    for (const char* target : {"example.com:80", "10.0.0.1:80", "127.0.0.1", "127.0.0.1:99999"}) {
        const std::string param = std::string("target=") + target;
        const Output one = run_program(
            {concbench(), "run-one", "--backend", "async", "--workload", "http", "--param", param});
        EXPECT_EQ(one.code, 2) << target << one.err;
        EXPECT_EQ(std::count(one.err.begin(), one.err.end(), '\n'), 1) << one.err;
        EXPECT_NE(one.err.find("valid is auto or host:port with a loopback host"),
                  std::string::npos)
            << one.err;
        TempDir tmp;
        const Output suite =
            run_program({concbench(), "run", "--backend", "sync", "--workload", "http", "--param",
                         param, "--out", (tmp.path() / "out").string()});
        EXPECT_EQ(suite.code, 2) << target << suite.err;
        EXPECT_EQ(suite.err, one.err);
        EXPECT_FALSE(fs::exists(tmp.path() / "out")) << "written before the check";
    }
}

/// python3 -m http.server on a free port, serving `root`: an HTTP/1.0 server that closes the
/// connection after each answer.
class PythonServer {
  public:
    explicit PythonServer(const fs::path& root)
        : process_({"/bin/sh", "-c",
                    "exec /usr/bin/python3 -u -m http.server 0 --bind 127.0.0.1 --directory " +
                        root.string() + " 2>/dev/null"}) {
        std::smatch m;
        const std::string line = process_.read_line();  // "Serving HTTP on ... port N (...)"
        if (std::regex_search(line, m, std::regex(R"(port (\d+))")))
            address_ = "127.0.0.1:" + m[1].str();
    }
    const std::string& address() const { return address_; }

  private:
    Background process_;
    std::string address_;
};

class ForeignServer : public testing::TestWithParam<Case> {};

TEST_P(ForeignServer, PythonHttpServerAnswersEveryRequest) {
    if (access("/usr/bin/python3", X_OK) != 0) GTEST_SKIP() << "no /usr/bin/python3";
    TempDir root;  // the file at the path the workload asks for, with the bytes it expects
    fs::create_directories(root.path() / "delay/0/bytes");
    std::ofstream(root.path() / "delay/0/bytes/100") << deterministic_body(100);
    PythonServer python(root.path());
    ASSERT_FALSE(python.address().empty()) << "python3 -m http.server did not start";
    const Measurement m = run_cell(http_cell(GetParam(), python.address(), 40, 4, 0));
    EXPECT_EQ(m.status, Status::ok) << m.error;
    EXPECT_EQ(m.error_rate, 0.0);
    EXPECT_TRUE(m.validated);
    EXPECT_EQ(m.ops, 40u);
}

INSTANTIATE_TEST_SUITE_P(Backends, ForeignServer, testing::ValuesIn(every_case()),
                         [](const auto& info) { return case_name(info.param); });

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
