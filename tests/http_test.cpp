// The delay server, the HTTP client on every backend, and the http workload.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "backend.hpp"
#include "http_client.hpp"
#include "http_routes.hpp"
#include "http_server.hpp"
#include "http_support.hpp"
#include "run_one.hpp"

namespace concbench {
namespace {

using namespace std::chrono_literals;

HttpResponse fetch(const Endpoint& ep, const std::string& target) {
    boost::asio::io_context ctx;
    auto conn = http_client::connect(ctx, ep, {});
    return http_client::get(*conn, target, false);
}

TEST(Routes, AnswerEachPath) {
    EXPECT_EQ(route("/").body, "concbench serve\n");
    EXPECT_EQ(route("/bytes/5").body, "abcde");
    EXPECT_EQ(route("/delay/250").delay, 250ms);
    const Route both = route("/delay/7/bytes/30");
    EXPECT_EQ(both.delay, 7ms);
    EXPECT_EQ(both.body, deterministic_body(30));
    EXPECT_EQ(route("/stats").kind, Route::Kind::stats);
    EXPECT_EQ(route("/fault/reset").kind, Route::Kind::reset_mid_body);
    EXPECT_EQ(route("/nope").status, 404u);
    EXPECT_EQ(route("/delay/5/extra").status, 404u);
    EXPECT_EQ(route("/delay/abc").status, 400u);
    EXPECT_EQ(route("/delay/-1").status, 400u);
    EXPECT_EQ(route("/bytes/999999999999").status, 400u);
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

TEST(Server, KeepsConnectionsAlive) {
    LocalServer server;
    boost::asio::io_context ctx;
    auto conn = http_client::connect(ctx, server.endpoint(), {});
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(http_client::get(*conn, "/bytes/10", true).body, "abcdefghij");
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
    EXPECT_EQ(m.status, "ok") << m.error;
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
    EXPECT_EQ(m.status, "ok") << m.error;
    EXPECT_LE(server.stats().max_in_flight.load(), 5);
    if (GetParam().backend == "sync") {
        EXPECT_EQ(server.stats().max_in_flight.load(), 1);
    } else {
        EXPECT_EQ(server.stats().max_in_flight.load(), 5);
    }
}

TEST_P(HttpOnEveryBackend, UnreachableServerFailsEveryRequestWithTheReason) {
    std::uint16_t closed_port;
    {
        LocalServer gone;  // a port that was just free and is closed again
        closed_port = gone.endpoint().port;
    }
    const std::string target = "127.0.0.1:" + std::to_string(closed_port);
    const Measurement m = run(target, 10, 3, 0);
    EXPECT_EQ(m.status, "failed");
    EXPECT_EQ(m.error, "10 of 10 requests failed: connection refused (" + target + ")");
    EXPECT_EQ(m.ops, 0u);
}

TEST_P(HttpOnEveryBackend, ResetMidResponseIsAnErrorWithItsReason) {
    LocalServer server;
    const BackendInfo* info = find_backend(GetParam().backend);
    auto backend = info->create(Params(info->params, {}));
    std::string error;
    RunPlan plan;
    plan.tasks = 1;
    plan.concurrency = 1;
    plan.make_task = [&](Io& io, std::size_t) -> Task<void> {
        auto conn = co_await io.connect(server.endpoint());
        try {
            co_await io.http_get(*conn, "/fault/reset", GetParam().keepalive == "on");
        } catch (const http_client::RequestError& e) {
            error = e.what();
        }
    };
    EXPECT_EQ(backend->run(plan).error, "");
    // Depending on timing the client sees the reset or the early end of the body.
    EXPECT_TRUE(error == "connection reset by peer (" + server.address() + ")" ||
                error == "partial message (" + server.address() + ")")
        << error;
}

INSTANTIATE_TEST_SUITE_P(Backends, HttpOnEveryBackend,
                         testing::Values(Case{"sync", "on"}, Case{"sync", "off"},
                                         Case{"threads", "on"}, Case{"threads", "off"},
                                         Case{"async", "on"}, Case{"async", "off"},
                                         Case{"async-mt", "on"}, Case{"async-mt", "off"}),
                         [](const auto& info) { return case_name(info.param); });

}  // namespace
}  // namespace concbench
