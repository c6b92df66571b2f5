// Fault injection in the delay server, per-request timeouts on every backend, and errors
// counted by kind against the server's own count of what it injected.
#include <gtest/gtest.h>

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <string>
#include <thread>

#include "backend.hpp"
#include "blocking_net.hpp"
#include "http_faults.hpp"
#include "http_support.hpp"
#include "run_one.hpp"
#include "server_option_error.hpp"

namespace concbench {
namespace {

TEST(FaultRates, ReadsProbabilitiesAndPercentages) {
    const FaultRates r = FaultRates::parse("drop=0.01,reset=1%,500=0.5%,stall=0");
    EXPECT_DOUBLE_EQ(r.p[0], 0.01);
    EXPECT_DOUBLE_EQ(r.p[1], 0.01);
    EXPECT_DOUBLE_EQ(r.p[2], 0.005);
    EXPECT_DOUBLE_EQ(r.p[3], 0.0);
    EXPECT_TRUE(r.any());
    EXPECT_EQ(r.text(), "drop=0.01,reset=0.01,500=0.005");
    EXPECT_EQ(FaultRates::parse(r.text()).text(), r.text());
    EXPECT_FALSE(FaultRates::parse("stall=0").any());
}

TEST(FaultRates, RejectsBadSpecsNamingWhatIsValid) {
    for (const char* bad : {"", "drop", "drop=", "drop=x", "drop=1.5", "drop=-0.1", "boom=0.1",
                            "drop=0.6,reset=0.6", "drop=5%%", "drop=0.1,"}) {
        try {
            FaultRates::parse(bad);
            ADD_FAILURE() << "accepted " << bad;
        } catch (const ServerOptionError& e) {
            EXPECT_NE(std::string(e.what()).find("--fault"), std::string::npos) << e.what();
        }
    }
}

TEST(FaultInjector, DrawsEachFaultAtItsRateAndRepeatsForASeed) {
    const FaultRates rates = FaultRates::parse("drop=0.1,reset=0.1,500=0.1");
    FaultInjector a(rates, 7), b(rates, 7);
    constexpr int kDraws = 100'000;
    int none = 0;
    for (int i = 0; i < kDraws; ++i) {
        const Fault f = a.next();
        ASSERT_EQ(f, b.next());
        none += f == Fault::none;
    }
    // 10% each: 10,000 expected, sd ~95; 6 sd either way.
    for (Fault f : {Fault::drop, Fault::reset, Fault::http500}) {
        EXPECT_NEAR(static_cast<double>(a.injected(f)), 10'000, 600) << to_string(f);
    }
    EXPECT_EQ(a.injected(Fault::stall), 0u);
    EXPECT_NEAR(none, 70'000, 800);
}

TEST(FaultInjector, InjectsNothingWithoutRates) {
    FaultInjector none(FaultRates{});
    for (int i = 0; i < 1000; ++i) ASSERT_EQ(none.next(), Fault::none);
}

TEST(FaultServer, StatsCountTheInjectedFaults) {
    ServerOptions opts;
    opts.faults = FaultRates::parse("500=1");
    LocalServer server(opts);
    BlockingNet net;
    auto conn = net.blocking_connect(server.endpoint(), {});
    EXPECT_EQ(net.blocking_get(*conn, "/bytes/10", true).status, 500u);
    EXPECT_EQ(net.blocking_get(*conn, "/stats", true).status, 200u);  // never faulted
    EXPECT_EQ(server.faults().injected(Fault::http500), 1u);
}

TEST(FaultServer, AResetCutsAStreamedBodyInTheMiddle) {
    ServerOptions opts;
    opts.faults = FaultRates::parse("reset=1");
    LocalServer server(opts);
    namespace asio = boost::asio;
    asio::io_context ctx;
    asio::ip::tcp::socket s(ctx);
    s.connect({asio::ip::make_address("127.0.0.1"), server.endpoint().port});
    asio::write(s, asio::buffer(std::string("GET /bytes/4000000 HTTP/1.1\r\n\r\n")));
    std::string got;
    boost::system::error_code ec;
    asio::read(s, asio::dynamic_buffer(got), ec);
    EXPECT_TRUE(ec == asio::error::connection_reset || ec == asio::error::eof) << ec.message();
    const std::size_t head = got.find("\r\n\r\n");
    ASSERT_NE(head, std::string::npos) << "no headers before the reset";
    EXPECT_NE(got.find("Content-Length: 4000000\r\n"), std::string::npos);
    const std::string body = got.substr(head + 4);
    // Half the body is sent; the reset may discard what the kernel had not yet delivered.
    EXPECT_LE(body.size(), 2'000'000u);
    EXPECT_EQ(body, deterministic_body(body.size()));
    EXPECT_EQ(server.faults().injected(Fault::reset), 1u);
}

class FaultsOnEveryBackend : public testing::TestWithParam<Case> {
  protected:
    Measurement run(const LocalServer& server, std::int64_t requests, std::int64_t timeout_ms,
                    std::int64_t delay_ms = 0, double max_error_rate = 0) {
        return run(server.address(), requests, timeout_ms, delay_ms, max_error_rate);
    }
    Measurement run(const std::string& target, std::int64_t requests, std::int64_t timeout_ms,
                    std::int64_t delay_ms = 0, double max_error_rate = 0) {
        Cell cell = http_cell(GetParam(), target, requests, 4, delay_ms);
        cell.workload_params["timeout_ms"] = timeout_ms;
        CellOptions opts;
        opts.max_error_rate = max_error_rate;
        return run_cell(cell, opts);
    }

    static ServerOptions faulty(const char* spec) {
        ServerOptions o;
        o.faults = FaultRates::parse(spec);
        o.stall = std::chrono::milliseconds(10'000);
        return o;
    }
};

using Errors = std::map<std::string, std::uint64_t>;

TEST_P(FaultsOnEveryBackend, ADroppedConnectionIsAClosedError) {
    LocalServer server(faulty("drop=1"));
    const Measurement m = run(server, 6, 0);
    EXPECT_EQ(m.status, Status::failed);
    EXPECT_EQ(m.errors, (Errors{{"closed", 6}}));
    EXPECT_EQ(m.error_rate, 1.0);
    EXPECT_EQ(m.error, "6 of 6 requests failed: end of stream (" + server.address() + ")");
}

TEST_P(FaultsOnEveryBackend, AResetMidResponseIsAResetError) {
    LocalServer server(faulty("reset=1"));
    Measurement m = run(server, 6, 0);
    EXPECT_EQ(m.status, Status::failed);
    // Depending on timing the client sees the reset or the early end of the body.
    EXPECT_EQ(m.errors["reset"] + m.errors["closed"], 6u) << m.error;
}

TEST_P(FaultsOnEveryBackend, AnHttp500IsAnHttpStatusError) {
    LocalServer server(faulty("500=1"));
    const Measurement m = run(server, 6, 0);
    EXPECT_EQ(m.errors, (Errors{{"http_status", 6}}));
    EXPECT_EQ(m.error, "6 of 6 requests failed: HTTP status 500");
    if (GetParam().keepalive == "on") {
        EXPECT_LE(server.stats().connections.load(), 4u);  // a 500 keeps the connection
    } else {
        EXPECT_EQ(server.stats().connections.load(), 6u);
    }
}

TEST_P(FaultsOnEveryBackend, AStallEndsAtTheClientsTimeout) {
    LocalServer server(faulty("stall=1"));
    const Measurement m = run(server, 6, 150);
    EXPECT_EQ(m.errors, (Errors{{"timeout", 6}}));
    EXPECT_EQ(m.error, "6 of 6 requests failed: timed out after 150 ms (" + server.address() + ")");
    ASSERT_TRUE(m.latency_s);
    EXPECT_GE(m.latency_s->max, 0.150);  // not before the timeout...
    EXPECT_LT(m.latency_s->max, 5.0);    // ...and long before the server's 10 s stall ends
}

TEST_P(FaultsOnEveryBackend, ASlowAnswerTimesOutAndAFastOneDoesNot) {
    LocalServer server;
    const Measurement slow = run(server, 4, 100, 3000);
    EXPECT_EQ(slow.errors, (Errors{{"timeout", 4}}));
    ASSERT_TRUE(slow.latency_s);
    EXPECT_LT(slow.latency_s->max, 2.0);  // gave up, did not wait the 3 s for the answer
    const Measurement fast = run(server, 8, 2000, 20);
    EXPECT_EQ(fast.status, Status::ok) << fast.error;
    EXPECT_TRUE(fast.errors.empty());
}

TEST_P(FaultsOnEveryBackend, AServerThatNeverAcceptsTimesOutInConnectOrInTheRequest) {
    // A listener with a backlog of 0 that never accepts: the first connections complete in
    // the kernel and their requests go unanswered; later SYNs are dropped, so connect hangs.
    boost::asio::io_context ctx;
    boost::asio::ip::tcp::acceptor deaf(ctx);
    const boost::asio::ip::tcp::endpoint any(boost::asio::ip::make_address("127.0.0.1"), 0);
    deaf.open(any.protocol());
    deaf.bind(any);
    deaf.listen(0);
    const std::string target = "127.0.0.1:" + std::to_string(deaf.local_endpoint().port());
    const Measurement m = run(target, 6, 150);
    EXPECT_EQ(m.errors, (Errors{{"timeout", 6}})) << m.error;
    ASSERT_TRUE(m.latency_s);
    EXPECT_LT(m.latency_s->max, 5.0);  // not the kernel's minute of SYN retries
}

TEST_P(FaultsOnEveryBackend, ATricklingAnswerTimesOutAtTheRequestsDeadline) {
    // Headers, then one body byte every 20 ms: every single read is quick, so only a deadline
    // for the whole request (not a timeout per read) ends it.
    namespace asio = boost::asio;
    asio::io_context ctx;
    asio::ip::tcp::acceptor acceptor(ctx, {asio::ip::make_address("127.0.0.1"), 0});
    std::thread trickler([&] {
        asio::ip::tcp::socket s(ctx);
        acceptor.accept(s);
        std::array<char, 4096> request{};
        s.read_some(asio::buffer(request));
        const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n";
        boost::system::error_code ec;
        asio::write(s, asio::buffer(head), ec);
        for (int i = 0; i < 1000 && !ec; ++i) {  // ends when the client gives up and closes
            asio::write(s, asio::buffer("a", 1), ec);
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    });
    const Measurement m =
        run("127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()), 1, 200);
    trickler.join();
    EXPECT_EQ(m.errors, (Errors{{"timeout", 1}})) << m.error;
    ASSERT_TRUE(m.latency_s);
    EXPECT_LT(m.latency_s->max, 5.0);  // the whole answer would take 20 s
}

TEST_P(FaultsOnEveryBackend, EveryInjectedFaultIsCountedOnceByKind) {
    LocalServer server(faulty("drop=4%,reset=4%,500=4%,stall=2%"));
    const Measurement m = run(server, 200, 100, 0, 1.0);
    EXPECT_EQ(m.status, Status::ok) << m.error;  // within --max-error-rate 1
    EXPECT_TRUE(m.validated);
    auto injected = [&](Fault f) { return server.faults().injected(f); };
    Errors e = m.errors;
    EXPECT_EQ(e["closed"] + e["reset"], injected(Fault::drop) + injected(Fault::reset));
    EXPECT_EQ(e["http_status"], injected(Fault::http500));
    EXPECT_EQ(e["timeout"], injected(Fault::stall));
    std::uint64_t failed = 0;
    for (const auto& [kind, n] : e) failed += n;
    EXPECT_GT(failed, 0u);
    EXPECT_EQ(m.ops + failed, 200u);
    EXPECT_DOUBLE_EQ(m.error_rate, static_cast<double>(failed) / 200);
}

TEST_P(FaultsOnEveryBackend, MaxErrorRateDecidesTheStatus) {
    LocalServer server(faulty("500=0.1"));
    const Measurement within = run(server, 100, 0, 0, 0.5);
    EXPECT_EQ(within.status, Status::ok) << within.error;
    ASSERT_GT(within.error_rate, 0.0);
    const Measurement above = run(server, 100, 0, 0, 0.01);
    EXPECT_EQ(above.status, Status::failed);
    EXPECT_NE(above.error.find("> --max-error-rate 0.01)"), std::string::npos) << above.error;
}

INSTANTIATE_TEST_SUITE_P(Backends, FaultsOnEveryBackend,
                         testing::ValuesIn(every_case()),
                         [](const auto& info) { return case_name(info.param); });

}  // namespace
}  // namespace concbench
