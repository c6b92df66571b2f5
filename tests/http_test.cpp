// The delay server, the HTTP client on every backend, and the http workload.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "backend.hpp"
#include "backend_cases.hpp"
#include "blocking_net.hpp"
#include "http_routes.hpp"
#include "http_server.hpp"
#include "http_support.hpp"
#include "limits.hpp"
#include "run_one.hpp"

namespace concbench {
namespace {

using namespace std::chrono_literals;

/// A workload that needs the delay server and checks where the harness says it is: the run
/// is invalid unless the endpoint in its context is `expect`.
class FixtureProbe final : public WorkloadRun {
  public:
    FixtureProbe(const Params& p, const RunContext& ctx)
        : expected_(p.text("expect")), got_(ctx.server().text()) {}
    std::size_t tasks() const override { return 1; }
    Task<void> task(Io&, std::size_t) override { co_return; }
    std::string validate() const override {
        return got_ == expected_ ? "" : "the delay server given is " + got_;
    }

  private:
    std::string expected_, got_;
};

}  // namespace

CONCBENCH_WORKLOAD(fixture_probe, FixtureProbe)
    ->kind(Kind::io)
    ->param(ParamSpec::text("expect", "", "the endpoint the run must be given"))
    ->needs(Fixture::delay_server);

namespace {

/// A fixture_probe cell on sync with `target` and `expect`.
Cell probe_cell(const std::string& target, const std::string& expect) {
    Cell cell;
    cell.backend = find_backend("sync");
    cell.workload = find_workload("fixture_probe");
    cell.workload_params = Params(cell.workload->params(), {}).values();
    cell.workload_params["target"] = target;
    cell.workload_params["expect"] = expect;
    cell.backend_params = Params(cell.backend->params(), {}).values();
    return cell;
}

TEST(Fixtures, TheRunIsGivenTheSuitesServerForTargetAuto) {
    CellOptions opts;
    opts.server = "127.0.0.1:4321";
    const Measurement m = run_cell(probe_cell(kAutoTarget, "127.0.0.1:4321"), opts);
    EXPECT_EQ(m.status, Status::ok) << m.error;
    EXPECT_TRUE(m.validated);
}

TEST(Fixtures, ATargetNamingAServerOverridesTheSuitesServer) {
    CellOptions opts;
    opts.server = "127.0.0.1:4321";
    const Measurement m = run_cell(probe_cell("localhost:5555", "127.0.0.1:5555"), opts);
    EXPECT_EQ(m.status, Status::ok) << m.error;
    EXPECT_TRUE(m.validated);
}

TEST(Fixtures, AreDeclaredAndOnlyDeclaredOnesAreGiven) {
    EXPECT_TRUE(find_workload("http")->uses(Fixture::delay_server));
    EXPECT_FALSE(find_workload("sleep")->uses(Fixture::delay_server));
    const auto& params = find_workload("http")->params();
    const auto target = std::find_if(params.begin(), params.end(),
                                     [](const ParamSpec& s) { return s.name == "target"; });
    ASSERT_NE(target, params.end());  // declared by needs(Fixture::delay_server)
    EXPECT_EQ(target->def_string, kAutoTarget);
    EXPECT_THROW(RunContext{}.server(), std::logic_error);
}

HttpResponse fetch(const Endpoint& ep, const std::string& target) {
    BlockingNet net;
    auto conn = net.blocking_connect(ep, {});
    return net.blocking_get(*conn, target, false);
}

TEST(Routes, AnswerEachPath) {
    EXPECT_EQ(route("/").body, "concbench serve\n");
    EXPECT_EQ(route("/bytes/5").bytes, 5u);  // generated as they are sent
    EXPECT_EQ(route("/delay/250").delay, 250ms);
    const Route both = route("/delay/7/bytes/30");
    EXPECT_EQ(both.delay, 7ms);
    EXPECT_EQ(both.bytes, 30u);
    EXPECT_EQ(route("/stats").kind, Route::Kind::stats);
    EXPECT_EQ(route("/fault/reset").kind, Route::Kind::reset_mid_body);
    EXPECT_EQ(route("/nope").status, 404u);
    EXPECT_EQ(route("/delay/5/extra").status, 404u);
    EXPECT_EQ(route("/delay/abc").status, 400u);
    EXPECT_EQ(route("/delay/-1").status, 400u);
    EXPECT_EQ(route("/bytes/999999999999").status, 400u);
}

TEST(Routes, OnlyGetAndHeadAreAllowed) {
    EXPECT_EQ(route("GET", "/bytes/5").bytes, 5u);
    EXPECT_EQ(route("HEAD", "/bytes/5").bytes, 5u);
    for (const char* method : {"POST", "PUT", "DELETE", "BREW"}) {
        const Route r = route(method, "/bytes/5");
        EXPECT_EQ(r.status, 405u) << method;
        EXPECT_EQ(r.allow, "GET, HEAD") << method;
    }
}

TEST(Endpoint, AcceptsLoopbackOnly) {
    EXPECT_EQ(Endpoint::parse("127.0.0.1:8080").text(), "127.0.0.1:8080");
    EXPECT_EQ(Endpoint::parse("localhost:80").text(), "127.0.0.1:80");
    EXPECT_EQ(Endpoint::parse("[::1]:9000").text(), "[::1]:9000");
    EXPECT_THROW(Endpoint::parse("10.0.0.1:80"), std::invalid_argument);
    EXPECT_THROW(Endpoint::parse("example.com:80"), std::invalid_argument);
    EXPECT_THROW(Endpoint::parse("127.0.0.1"), std::invalid_argument);
    EXPECT_THROW(Endpoint::parse("127.0.0.1:0"), std::invalid_argument);
    EXPECT_THROW(Endpoint::parse("127.0.0.1:70000"), std::invalid_argument);
}

TEST(Net, RefusesAConnectionItDidNotMake) {
    struct Foreign final : HttpConnection {};
    Foreign foreign;
    BlockingNet net;
    EXPECT_THROW(net.blocking_get(foreign, "/", false), std::logic_error);
}

TEST(Limits, RaiseOpenFilesTakesTheHardLimitWhenTheSoftOneIsTooLow) {
    rlimit lim{};
    ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &lim), 0);
    if (lim.rlim_max < 512) GTEST_SKIP() << "the hard limit is below 512";
    lim.rlim_cur = 256;
    ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &lim), 0);
    EXPECT_EQ(raise_open_files(200).soft, 256u);  // enough already: left alone
    const OpenFilesLimit raised = raise_open_files(300);
    EXPECT_EQ(raised.soft, lim.rlim_max);
    EXPECT_EQ(raised.hard, lim.rlim_max);
}

TEST(Server, ServesEveryEndpoint) {
    LocalServer server;
    EXPECT_EQ(fetch(server.endpoint(), "/").body, "concbench serve\n");
    const HttpResponse bytes = fetch(server.endpoint(), "/bytes/100000");
    EXPECT_EQ(bytes.status, 200u);
    EXPECT_EQ(bytes.body, deterministic_body(100000));
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_EQ(fetch(server.endpoint(), "/delay/60").status, 200u);
    EXPECT_GE(std::chrono::steady_clock::now() - t0, 60ms);  // answered no earlier than asked
    EXPECT_EQ(fetch(server.endpoint(), "/missing").status, 404u);
    const auto stats = nlohmann::json::parse(fetch(server.endpoint(), "/stats").body);
    EXPECT_EQ(stats.at("requests"), 5);  // the four before and this one
    EXPECT_EQ(stats.at("in_flight"), 1);
}

/// Sends `request` on a fresh connection and returns all that comes back until the server
/// closes it.
std::string raw_exchange(const Endpoint& ep, const std::string& request) {
    namespace asio = boost::asio;
    asio::io_context ctx;
    asio::ip::tcp::socket s(ctx);
    s.connect({asio::ip::make_address(ep.host), ep.port});
    asio::write(s, asio::buffer(request));
    std::string got;
    boost::system::error_code ec;
    asio::read(s, asio::dynamic_buffer(got), ec);  // until end of stream
    return got;
}

TEST(Server, AnswersHeadWithoutABodyAndOtherMethodsWith405) {
    LocalServer server;
    const std::string head =
        raw_exchange(server.endpoint(), "HEAD /bytes/1000 HTTP/1.1\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(head.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << head;
    EXPECT_NE(head.find("Content-Length: 1000\r\n"), std::string::npos) << head;
    EXPECT_EQ(head.size(), head.find("\r\n\r\n") + 4) << "a body after the head: " << head;
    for (const char* method : {"POST", "PUT", "DELETE", "BREW"}) {
        const std::string res = raw_exchange(
            server.endpoint(), std::string(method) +
                                   " /bytes/10 HTTP/1.1\r\nContent-Length: 2\r\nConnection: "
                                   "close\r\n\r\nhi");
        EXPECT_EQ(res.rfind("HTTP/1.1 405 Method Not Allowed\r\n", 0), 0u) << res;
        EXPECT_NE(res.find("Allow: GET, HEAD\r\n"), std::string::npos) << res;
    }
}

TEST(Server, StreamsALargeBodyIntact) {
    LocalServer server;
    BlockingNet net;
    auto conn = net.blocking_connect(server.endpoint(), {});
    constexpr std::size_t kSize = (20 << 20) + 12345;  // many chunks and a partial one
    const HttpResponse r = net.blocking_get(*conn, "/bytes/" + std::to_string(kSize), true, kSize);
    EXPECT_EQ(r.status, 200u);
    EXPECT_TRUE(r.body == deterministic_body(kSize)) << "the body differs";
    EXPECT_TRUE(r.reusable);
}

TEST(Client, SaysWhetherTheConnectionCanBeReused) {
    LocalServer server;
    BlockingNet net;
    auto conn = net.blocking_connect(server.endpoint(), {});
    EXPECT_TRUE(net.blocking_get(*conn, "/bytes/10", true).reusable);
    EXPECT_FALSE(net.blocking_get(*conn, "/bytes/10", false).reusable);  // asked to close
    ScriptedServer old("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nab", true);
    auto to_old = net.blocking_connect(Endpoint::parse(old.address()), {});
    const HttpResponse r = net.blocking_get(*to_old, "/", true);
    EXPECT_EQ(r.body, "ab");
    EXPECT_FALSE(r.reusable);  // HTTP/1.0 without keep-alive ends the connection
}

TEST(Server, KeepsConnectionsAlive) {
    LocalServer server;
    BlockingNet net;
    auto conn = net.blocking_connect(server.endpoint(), {});
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(net.blocking_get(*conn, "/bytes/10", true).body, "abcdefghij");
    EXPECT_EQ(server.stats().connections.load(), 1u);
}

class HttpOnEveryBackend : public testing::TestWithParam<Case> {
  protected:
    Measurement run(const std::string& target, std::int64_t requests, std::int64_t concurrency,
                    std::int64_t delay_ms, std::int64_t body_bytes = 100) {
        Cell cell = http_cell(GetParam(), target, requests, concurrency, delay_ms);
        cell.workload_params["body_bytes"] = body_bytes;
        return run_cell(cell);
    }
};

TEST_P(HttpOnEveryBackend, FetchesAndValidatesEveryBody) {
    LocalServer server;
    const Measurement m = run(server.address(), 60, 6, 0, 5000);
    EXPECT_EQ(m.status, Status::ok) << m.error;
    EXPECT_TRUE(m.validated);
    EXPECT_EQ(m.ops, 60u);
    ASSERT_TRUE(m.latency_s);
    EXPECT_EQ(server.stats().requests.load(), 60u);
    if (GetParam().keepalive == "on") {
        EXPECT_LE(server.stats().connections.load(), 6u);  // reused, never more than in flight
    } else {
        EXPECT_EQ(server.stats().connections.load(), 60u);  // one per request
    }
}

TEST_P(HttpOnEveryBackend, TheServerNeverSeesMoreThanConcurrencyInFlight) {
    LocalServer server;
    const Measurement m = run(server.address(), 40, 5, 20);
    EXPECT_EQ(m.status, Status::ok) << m.error;
    EXPECT_LE(server.stats().max_in_flight.load(), 5);
    // sync reaches 1; pool and tbb at most their threads; the others the limit.
    EXPECT_EQ(server.stats().max_in_flight.load(),
              static_cast<int>(reachable_in_flight({GetParam().backend, {}}, 5)));
}

TEST_P(HttpOnEveryBackend, UnreachableServerFailsEveryRequestWithTheReason) {
    std::uint16_t closed_port;
    {
        LocalServer gone;  // a port that was just free and is closed again
        closed_port = gone.endpoint().port;
    }
    const std::string target = "127.0.0.1:" + std::to_string(closed_port);
    const Measurement m = run(target, 10, 3, 0);
    EXPECT_EQ(m.status, Status::failed);
    EXPECT_EQ(m.error, "10 of 10 requests failed: connection refused (" + target + ")");
    EXPECT_EQ(m.ops, 0u);
}

TEST_P(HttpOnEveryBackend, ResetMidResponseIsAnErrorWithItsReason) {
    LocalServer server;
    auto backend = make_backend({GetParam().backend, {}});
    std::string error;
    RunPlan plan;
    plan.tasks = 1;
    plan.concurrency = 1;
    plan.make_task = [&](Io& io, std::size_t) -> Task<void> {
        auto conn = co_await io.net().connect(server.endpoint());
        try {
            co_await io.net().http_get(*conn, "/fault/reset", GetParam().keepalive == "on");
        } catch (const RequestError& e) {
            error = e.what();
        }
    };
    EXPECT_EQ(backend->run(plan).error, "");
    // Depending on timing the client sees the reset or the early end of the body.
    EXPECT_TRUE(error == "connection reset by peer (" + server.address() + ")" ||
                error == "partial message (" + server.address() + ")")
        << error;
}

TEST_P(HttpOnEveryBackend, AServerThatClosesAfterEachAnswerFailsNoRequest) {
    const std::string body = deterministic_body(100);
    for (const std::string& answer : {
             "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 100\r\n\r\n" + body,
             "HTTP/1.0 200 OK\r\nContent-Length: 100\r\n\r\n" + body,
             "HTTP/1.1 200 OK\r\n\r\n" + body,  // the body ends with the connection
         }) {
        ScriptedServer server(answer, true);
        const Measurement m = run(server.address(), 30, 4, 0, 100);
        EXPECT_EQ(m.status, Status::ok) << m.error << "\n" << answer.substr(0, 40);
        EXPECT_EQ(m.error_rate, 0.0);
        EXPECT_EQ(m.ops, 30u);
    }
}

TEST_P(HttpOnEveryBackend, InterimResponsesAreSkipped) {
    ScriptedServer server(
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
        "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" +
            deterministic_body(100),
        false);
    const Measurement m = run(server.address(), 30, 4, 0, 100);
    EXPECT_EQ(m.status, Status::ok) << m.error;
    EXPECT_TRUE(m.validated);
    EXPECT_EQ(m.ops, 30u);
}

TEST_P(HttpOnEveryBackend, ABodyLargerThanExpectedIsRefusedBeforeItIsRead) {
    // 1 GiB announced, and the connection held open: a client that read it would wait.
    ScriptedServer server(
        "HTTP/1.1 200 OK\r\nContent-Length: 1073741824\r\n\r\n" + deterministic_body(1000), false);
    Cell cell = http_cell(GetParam(), server.address(), 6, 3, 0);
    cell.workload_params["timeout_ms"] = std::int64_t{20'000};
    const Measurement m = run_cell(cell);
    EXPECT_EQ(m.status, Status::failed);
    EXPECT_EQ(m.errors, (std::map<std::string, std::uint64_t>{{"body_too_large", 6}}));
    // body_bytes 100 and a 64 KiB margin
    EXPECT_EQ(m.error, "6 of 6 requests failed: a body larger than the 65636 bytes expected (" +
                           server.address() + ")");
    ASSERT_TRUE(m.latency_s);
    EXPECT_LT(m.latency_s->max, 5.0);  // at once, not at the timeout
}

INSTANTIATE_TEST_SUITE_P(Backends, HttpOnEveryBackend, testing::ValuesIn(every_case()),
                         [](const auto& info) { return case_name(info.param); });

}  // namespace
}  // namespace concbench
