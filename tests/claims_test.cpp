// The claims section on fixture cells whose verdicts are known.
#include "claims.hpp"

#include <gtest/gtest.h>

#include <optional>

#include "exporters.hpp"
#include "report_document.hpp"

using namespace concbench;
using nlohmann::json;

namespace {

/// A cell with `ok` successful runs of median `wall` seconds.
CellSummary cell(const std::string& workload, const std::string& backend, json params, double wall,
                 json backend_params = json::object()) {
    CellSummary c = cell_of({{"workload", workload},
                             {"backend", backend},
                             {"params", std::move(params)},
                             {"backend_params", std::move(backend_params)}});
    c.runs = c.ok = 3;
    c.wall.median = wall;
    return c;
}

/// The claim whose text starts with `start`, if it was tested.
std::optional<ClaimVerdict> claim_starting(const std::vector<ClaimVerdict>& claims,
                                           const std::string& start) {
    for (const auto& c : claims)
        if (c.claim.rfind(start, 0) == 0) return c;
    return std::nullopt;
}

json sleep_params(int tasks, int ms) {
    return {{"tasks", tasks}, {"ms", ms}, {"concurrency", 0}};
}

}  // namespace

TEST(Claims, NoneWithoutTheCellsThatTestThem) {
    EXPECT_TRUE(evaluate_claims({}).empty());
    // sleep on async alone tests nothing: there is nothing to compare it with.
    EXPECT_TRUE(evaluate_claims({cell("sleep", "async", sleep_params(100, 20), 0.02)}).empty());
}

TEST(Claims, AsyncHelpsIoWhenWaitsOverlap) {
    const auto claims = evaluate_claims({cell("sleep", "sync", sleep_params(100, 20), 2.1),
                                         cell("sleep", "async", sleep_params(100, 20), 0.025)});
    const auto c = claim_starting(claims, "Async helps IO");
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->verdict, Verdict::holds);
    EXPECT_NE(c->because.find("84.0×"), std::string::npos) << c->because;
    EXPECT_EQ(c->cells, std::vector<std::string>{"sleep concurrency=0 ms=20 tasks=100"});

    // Where the defaults are recorded, a cell is named by the parameters away from them.
    std::vector<CellSummary> cells = {cell("sleep", "sync", sleep_params(100, 20), 2.1),
                                      cell("sleep", "async", sleep_params(100, 20), 0.025)};
    for (auto& s : cells) s.param_defaults = sleep_params(1000, 20);
    EXPECT_EQ(claim_starting(evaluate_claims(cells), "Async helps IO")->cells,
              std::vector<std::string>{"sleep tasks=100"});
}

TEST(Claims, AsyncDoesNotHelpCpuUnlessItIsFaster) {
    const json p = {{"tasks", 8}, {"work", 80}, {"concurrency", 0}};
    auto claims = evaluate_claims({cell("cpu", "sync", p, 0.80), cell("cpu", "async", p, 0.81),
                                   cell("cpu", "async-mt", p, 0.41)});
    const auto c = claim_starting(claims, "Async does not help CPU");
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->verdict, Verdict::holds);
    EXPECT_NE(c->because.find("async-mt"), std::string::npos) << c->because;

    claims = evaluate_claims({cell("cpu", "sync", p, 0.80), cell("cpu", "async", p, 0.30)});
    EXPECT_EQ(claim_starting(claims, "Async does not help CPU")->verdict, Verdict::does_not_hold);
}

TEST(Claims, ThreadsCostMoreMemoryFromTheSlopeOverTaskCounts) {
    std::vector<CellSummary> cells;
    for (auto [backend, small, large] :
         {std::tuple{"threads", 10e6, 110e6}, std::tuple{"async", 9e6, 13e6}}) {
        cells.push_back(cell("sleep", backend, sleep_params(100, 1000), 1.01));
        cells.back().peak_rss_bytes = small;
        cells.push_back(cell("sleep", backend, sleep_params(10100, 1000), 1.2));
        cells.back().peak_rss_bytes = large;
    }
    const auto c = claim_starting(evaluate_claims(cells), "Threads cost more");
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->verdict, Verdict::holds);
    // (110 - 10) MB over 10,000 tasks against (13 - 9) MB: 10 kB against 400 B a task.
    EXPECT_NE(c->because.find("25.0×"), std::string::npos) << c->because;
}

TEST(Claims, ThreadMemoryCannotBeJudgedWhenThreadsWereNotAllAliveAtOnce) {
    // 10 ms sleeps: creating 10,000 threads took 1 s, so most had ended before the last began.
    std::vector<CellSummary> cells;
    for (auto [backend, large_wall] : {std::tuple{"threads", 1.1}, std::tuple{"async", 0.02}}) {
        cells.push_back(cell("sleep", backend, sleep_params(100, 10), 0.012));
        cells.back().peak_rss_bytes = 9e6;
        cells.push_back(cell("sleep", backend, sleep_params(10100, 10), large_wall));
        cells.back().peak_rss_bytes = 12e6;
        cells.back().ideal_wall_s = 0.010;
    }
    const auto c = claim_starting(evaluate_claims(cells), "Threads cost more");
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->verdict, Verdict::depends) << c->because;
    EXPECT_NE(c->because.find("fewer were alive at once"), std::string::npos) << c->because;
}

TEST(Claims, JoinOverlapsOnConcurrentBackendsButNotOnSync) {
    const json p = {{"mode", "join"}, {"op", "sleep"}, {"k", 3}, {"delay_ms", 2000}};
    std::vector<CellSummary> cells = {cell("fanout", "sync", p, 6.0),
                                      cell("fanout", "async", p, 2.01),
                                      cell("fanout", "threads", p, 2.02)};
    for (auto& c : cells) c.ideal_wall_s = 2.0;
    const auto c = claim_starting(evaluate_claims(cells), "Joining 3 waits");
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->verdict, Verdict::depends);
    EXPECT_NE(c->because.find("not: sync 6.0"), std::string::npos) << c->because;
}

TEST(Claims, RaceReturnsWithTheFastest) {
    const json p = {
        {"mode", "race"}, {"op", "sleep"}, {"k", 10}, {"delay_ms", 100}, {"spread_ms", 10}};
    std::vector<CellSummary> cells = {cell("fanout", "async", p, 0.101),
                                      cell("fanout", "threads", p, 0.104)};
    for (auto& c : cells) c.ideal_wall_s = 0.100;
    auto c = claim_starting(evaluate_claims(cells), "Race returns");
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->verdict, Verdict::holds) << c->because;

    // Child j waits 100 + 10j ms: ending at 150 ms is not with the fastest (190 ms slowest).
    cells[1].wall.median = 0.150;
    c = claim_starting(evaluate_claims(cells), "Race returns");
    EXPECT_EQ(c->verdict, Verdict::depends) << c->because;
    EXPECT_NE(c->because.find("threads 150.0 ms"), std::string::npos) << c->because;
}

TEST(Claims, BlockingTheLoopRaisesP99AndOffloadingLowersIt) {
    const json base = {{"requests", 1000}, {"cpu_us", 0}};
    const json busy = {{"requests", 1000}, {"cpu_us", 1000}};
    std::vector<CellSummary> cells = {
        cell("mixed", "async", base, 0.05, {{"offload", "inline"}}),
        cell("mixed", "async", busy, 1.0, {{"offload", "inline"}}),
        cell("mixed", "async", busy, 0.6, {{"offload", "pool"}}),
    };
    cells[0].p50 = 0.020;  // the typical request without CPU work
    cells[1].p50 = 0.040;  // with it inline: everyone waits for the loop
    cells[2].p50 = 0.023;  // offloaded: back near the first
    const auto c = claim_starting(evaluate_claims(cells), "Blocking inside an event loop");
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->verdict, Verdict::holds) << c->because;

    cells[2].p50 = 0.038;  // offloading did not help
    EXPECT_EQ(claim_starting(evaluate_claims(cells), "Blocking inside")->verdict, Verdict::depends);
}

TEST(Claims, BoundedConcurrencyWinsWhereUnboundedFails) {
    const json bounded = {{"requests", 5000}, {"delay_ms", 20}, {"concurrency", 100}};
    const json unbounded = {{"requests", 5000}, {"delay_ms", 20}, {"concurrency", 0}};
    std::vector<CellSummary> cells = {cell("http", "threads", bounded, 1.1),
                                      cell("http", "threads", unbounded, 0)};
    cells[1].ok = 0;
    cells[1].first_error = "could not create thread";
    const auto c = claim_starting(evaluate_claims(cells), "Bounded concurrency");
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->verdict, Verdict::holds);
    EXPECT_NE(c->because.find("could not create thread"), std::string::npos) << c->because;
}

TEST(Claims, TheBlogRankingHoldsOnlyWhereEveryModelBeatsTheOneBefore) {
    auto table = [](int requests, std::vector<double> walls) {
        const json p = {{"requests", requests}, {"delay_ms", 0}};
        const std::vector<std::string> names = {"sync", "threads", "async", "async-mt"};
        std::vector<CellSummary> out;
        for (std::size_t i = 0; i < names.size(); ++i)
            out.push_back(cell("http", names[i], p, walls[i],
                               i >= 2 ? json{{"offload", "inline"}} : json::object()));
        return out;
    };
    auto cells = table(1000, {1.07, 0.79, 0.73, 0.65});
    EXPECT_EQ(claim_starting(evaluate_claims(cells), "Many concurrent requests")->verdict,
              Verdict::holds);
    for (auto& c : table(100, {0.10, 0.12, 0.05, 0.06})) cells.push_back(c);
    const auto c = claim_starting(evaluate_claims(cells), "Many concurrent requests");
    EXPECT_EQ(c->verdict, Verdict::depends);
    EXPECT_NE(c->because.find("not at requests=100"), std::string::npos) << c->because;
}

TEST(Claims, TheReportLeadsWithThem) {
    const std::vector<CellSummary> cells = {cell("sleep", "sync", sleep_params(100, 20), 2.1),
                                            cell("sleep", "async", sleep_params(100, 20), 0.025)};
    const std::string md = to_markdown(build_report(cells, json::object(), {}, {}, {}));
    const auto claims = md.find("## Claims");
    ASSERT_NE(claims, std::string::npos) << md;
    EXPECT_LT(claims, md.find("## Workload sleep"));
    EXPECT_NE(md.find("| holds |"), std::string::npos) << md;
}
