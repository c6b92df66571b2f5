// Summaries, exporters, charts, reports and compare on fixture result sets, including
// failed runs, a partial suite and a corrupt line.
#include "report.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "compare.hpp"
#include "exporters.hpp"
#include "fields.hpp"
#include "process.hpp"
#include "summary.hpp"

namespace concbench {
namespace {

using nlohmann::json;
using namespace testing_support;
namespace fs = std::filesystem;

json record(const std::string& backend, int tasks, int rep, const std::string& status, double wall,
            double rss = 4e6) {
    json r = {{"schema_version", 1},
              {"backend", backend},
              {"workload", "sleep"},
              {"params", {{"tasks", tasks}, {"ms", 10}, {"concurrency", 0}}},
              {"backend_params", json::object()},
              {"repetition", rep},
              {"status", status},
              {"wall_s", status == "ok" ? json(wall) : json(nullptr)},
              {"user_s", 0.01},
              {"sys_s", 0.02},
              {"peak_rss_bytes", rss},
              {"ops", tasks},
              {"ops_per_s", status == "ok" ? json(tasks / wall) : json(nullptr)},
              {"latency_s", {{"p50", 0.010}, {"p90", 0.011}, {"p99", 0.012}, {"max", 0.013}}},
              {"ideal_wall_s", 0.01 * tasks / tasks},
              {"validated", status == "ok"}};
    if (status != "ok") r["error"] = "could not create thread: Resource temporarily unavailable";
    return r;
}

/// A suite: sync and async on two sizes, 5 reps; threads failing on the larger; a partial
/// last cell (2 of 5 runs, as if the suite was killed).
std::vector<json> fixture() {
    std::vector<json> out;
    const double sync_walls[] = {1.00, 1.02, 0.98, 1.01, 0.99};
    const double async_walls[] = {0.010, 0.011, 0.0105, 0.0102, 0.0108};
    for (int rep = 0; rep < 5; ++rep)
        out.push_back(record("sync", 100, rep, "ok", sync_walls[rep]));
    for (int rep = 0; rep < 5; ++rep)
        out.push_back(record("async", 100, rep, "ok", async_walls[rep], 8e6));
    for (int rep = 0; rep < 5; ++rep) out.push_back(record("threads", 100, rep, "ok", 0.02, 40e6));
    for (int rep = 0; rep < 3; ++rep) out.push_back(record("threads", 40000, rep, "failed", 0));
    for (int rep = 0; rep < 2; ++rep) out.push_back(record("async", 40000, rep, "ok", 0.1, 60e6));
    return out;
}

void write_jsonl(const fs::path& p, const std::vector<json>& records,
                 const std::string& extra = "") {
    std::ofstream out(p);
    for (std::size_t i = 0; i < records.size(); ++i) {
        out << records[i].dump() << "\n";
        if (i == 1 && !extra.empty()) out << extra << "\n";
    }
}

TEST(Summary, StatisticsPerCellWithRatiosAndWarnings) {
    const auto cells = summarize_cells(fixture());
    ASSERT_EQ(cells.size(), 5u);
    const CellSummary& sync = cells[0];
    EXPECT_EQ(sync.ok, 5u);
    EXPECT_DOUBLE_EQ(sync.wall.median, 1.00);
    ASSERT_TRUE(sync.vs_baseline);
    EXPECT_DOUBLE_EQ(sync.vs_baseline->value, 1.0);
    const CellSummary& async = cells[1];
    EXPECT_DOUBLE_EQ(async.wall.median, 0.0105);
    EXPECT_NEAR(async.vs_baseline->value, 1.0 / 0.0105, 1e-9);
    EXPECT_GT(async.wall.cv, 0.0);
    const CellSummary& failed = cells[3];
    EXPECT_EQ(failed.ok, 0u);
    EXPECT_EQ(status_text(failed), "3 failed");
    EXPECT_FALSE(failed.vs_baseline);  // no sync at 40000 tasks, and nothing ok
    EXPECT_EQ(failed.first_error,
              "failed: could not create thread: Resource temporarily unavailable");
    const CellSummary& partial = cells[4];
    EXPECT_EQ(partial.runs, 2u);
    EXPECT_EQ(partial.warnings, std::vector<std::string>{"2 repetitions (fewer than 5)"});
}

TEST(Exporters, JsonAndCsvComeFromTheSameFields) {
    const auto cells = summarize_cells(fixture());
    const json j =
        json::parse(to_summary_json(cells, "sync", {"results.jsonl:9: not valid JSON (skipped)"}));
    ASSERT_EQ(j.at("cells").size(), 5u);
    EXPECT_EQ(j.at("baseline"), "sync");
    EXPECT_EQ(j.at("problems").size(), 1u);
    for (const auto& f : summary_fields()) EXPECT_TRUE(j.at("cells")[0].contains(f.name)) << f.name;
    EXPECT_DOUBLE_EQ(j.at("cells")[1].at("median_wall_s").get<double>(), 0.0105);
    EXPECT_TRUE(j.at("cells")[3].at("median_wall_s").is_null());  // failed: no time
    EXPECT_EQ(j.at("cells")[3].at("status"), "3 failed");

    const std::string csv = to_summary_csv(cells);
    std::istringstream lines(csv);
    std::string header;
    std::getline(lines, header);
    std::string expected;
    for (const auto& f : summary_fields()) expected += (expected.empty() ? "" : ",") + f.name;
    EXPECT_EQ(header, expected);
    EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 6);
    EXPECT_NE(csv.find("concurrency=0 ms=10 tasks=100"), std::string::npos);
}

TEST(Exporters, MarkdownAndHtmlSayTheSameThing) {
    const auto cells = summarize_cells(fixture());
    const Document doc = build_report(cells, json{{"cpu_model", "Test CPU <x>"}, {"cores", 2}},
                                      {"results.jsonl:3: not valid JSON (skipped)"}, {}, {});
    const std::string md = to_markdown(doc);
    EXPECT_NE(md.find("| backend | median wall (95% CI) |"), std::string::npos) << md;
    EXPECT_NE(md.find("async is 95.24× faster than sync"), std::string::npos) << md;
    EXPECT_NE(md.find("threads used 10.0× the memory of sync"), std::string::npos) << md;
    EXPECT_NE(md.find("## Failures"), std::string::npos);
    EXPECT_NE(md.find("3 failed — failed: could not create thread"), std::string::npos) << md;
    EXPECT_NE(md.find("results.jsonl:3: not valid JSON (skipped)"), std::string::npos);
    EXPECT_NE(md.find("2 repetitions (fewer than 5)"), std::string::npos);
    const std::string html = to_html(doc, ".");
    EXPECT_NE(html.find("<table>"), std::string::npos);
    EXPECT_NE(html.find("Test CPU &lt;x&gt;"), std::string::npos);  // escaped
    EXPECT_EQ(html.find("Test CPU <x>"), std::string::npos);
    EXPECT_NE(html.find("async is 95.24× faster than sync"), std::string::npos);
}

TEST(Exporters, HyperfineTablesAreIncluded) {
    const std::string md_table =
        "| Command | Mean [ms] | Min [ms] | Max [ms] | Relative |\n"
        "|:---|---:|---:|---:|---:|\n"
        "| `sync` | 4.9 ± 0.1 | 4.7 | 5.1 | 1.00 |\n";
    const Document doc =
        build_report({}, json::object(), {}, {}, {{"http-requests100-delay0", md_table}});
    const std::string md = to_markdown(doc);
    EXPECT_NE(md.find("### http-requests100-delay0"), std::string::npos) << md;
    EXPECT_NE(md.find("| `sync` | 4.9 ± 0.1 | 4.7 | 5.1 | 1.00 |"), std::string::npos) << md;
}

TEST(Report, FromResultsAloneWithACorruptLineAndCharts) {
    TempDir tmp;
    write_jsonl(tmp.path() / "results.jsonl", fixture(), "{\"backend\": \"sync\", \"workl");
    const Output o = run_program({program_from_env("CONCBENCH"), "report", tmp.path().string()});
    EXPECT_EQ(o.code, 0) << o.err;
    EXPECT_NE(o.err.find("results.jsonl:3: not valid JSON (skipped)"), std::string::npos) << o.err;
    for (const char* f : {"summary.json", "summary.csv", "report.md", "report.html"})
        EXPECT_GT(fs::file_size(tmp.path() / f), 0u) << f;
    // One bar chart per parameter set, a latency and a CPU chart for each with ok runs.
    for (const char* f :
         {"plots/bars-sleep-0.png", "plots/bars-sleep-0.svg", "plots/bars-sleep-1.png",
          "plots/latency-sleep-0.png", "plots/cpu-sleep-0.png"})
        EXPECT_TRUE(fs::exists(tmp.path() / f) && fs::file_size(tmp.path() / f) > 1000) << f;
    std::ifstream md(tmp.path() / "report.md");
    const std::string text((std::istreambuf_iterator<char>(md)), {});
    EXPECT_NE(text.find("](plots/bars-sleep-0.png)"), std::string::npos);
}

TEST(Report, SweepChartForThreeOrMoreValues) {
    std::vector<json> records;
    for (int tasks : {10, 100, 1000, 10000})
        for (const char* b : {"threads", "async"})
            for (int rep = 0; rep < 3; ++rep)
                records.push_back(record(b, tasks, rep,
                                         tasks == 10000 && b[0] == 't' ? "failed" : "ok",
                                         0.01 + tasks * 1e-6, 4e6 + tasks * 1e3));
    TempDir tmp;
    write_jsonl(tmp.path() / "results.jsonl", records);
    const Output o = run_program({program_from_env("CONCBENCH"), "report", tmp.path().string()});
    EXPECT_EQ(o.code, 0) << o.err;
    EXPECT_GT(fs::file_size(tmp.path() / "plots/sweep-sleep-tasks-0.png"), 1000u);
    EXPECT_GT(fs::file_size(tmp.path() / "plots/sweep-sleep-tasks-0.svg"), 1000u);
}

TEST(Report, NeedsAResultFolder) {
    const Output o = run_program({program_from_env("CONCBENCH"), "report", "/nonexistent-dir"});
    EXPECT_EQ(o.code, 2);
    EXPECT_NE(o.err.find("has no results.jsonl"), std::string::npos) << o.err;
}

TEST(Compare, VerdictsFromMannWhitney) {
    std::vector<json> base, slower, same;
    for (int rep = 0; rep < 5; ++rep) {
        base.push_back(record("async", 100, rep, "ok", 0.100 + rep * 0.001));
        slower.push_back(record("async", 100, rep, "ok", 0.150 + rep * 0.001));
        same.push_back(record("async", 100, rep, "ok", 0.1005 + (4 - rep) * 0.001));
    }
    auto rows = compare_cells(summarize_cells(base), summarize_cells(slower));
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].verdict, "slower");
    EXPECT_NEAR(rows[0].p, 2.0 / 252, 1e-12);
    EXPECT_NEAR(rows[0].ratio, 0.152 / 0.102, 1e-9);
    rows = compare_cells(summarize_cells(slower), summarize_cells(base));
    EXPECT_EQ(rows[0].verdict, "faster");
    rows = compare_cells(summarize_cells(base), summarize_cells(same));
    EXPECT_EQ(rows[0].verdict, "no significant change");
    rows = compare_cells(summarize_cells(base), summarize_cells({record("sync", 100, 0, "ok", 1)}));
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].verdict, "only in new");
    EXPECT_EQ(rows[1].verdict, "only in base");
}

TEST(Compare, FailsOnARegressionPastTheThreshold) {
    TempDir tmp;
    std::vector<json> base, slower;
    for (int rep = 0; rep < 5; ++rep) {
        base.push_back(record("async", 100, rep, "ok", 0.100 + rep * 0.001));
        slower.push_back(record("async", 100, rep, "ok", 0.150 + rep * 0.001));
    }
    fs::create_directories(tmp.path() / "a");
    fs::create_directories(tmp.path() / "b");
    write_jsonl(tmp.path() / "a" / "results.jsonl", base);
    write_jsonl(tmp.path() / "b" / "results.jsonl", slower);
    const std::string exe = program_from_env("CONCBENCH");
    const std::string a = (tmp.path() / "a").string(), b = (tmp.path() / "b").string();
    Output o = run_program({exe, "compare", a, b, "--fail-on-regression", "10"});
    EXPECT_EQ(o.code, 1);
    EXPECT_NE(o.out.find("| slower |"), std::string::npos) << o.out;
    EXPECT_NE(o.err.find("is 49.0% slower"), std::string::npos) << o.err;
    EXPECT_TRUE(fs::exists(tmp.path() / "b" / "compare.md"));
    EXPECT_EQ(run_program({exe, "compare", a, b, "--fail-on-regression", "60"}).code, 0);
    EXPECT_EQ(run_program({exe, "compare", a, b}).code, 0);
    EXPECT_EQ(run_program({exe, "compare", a, "/nonexistent"}).code, 2);
}

}  // namespace
}  // namespace concbench
