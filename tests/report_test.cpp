// Summaries, exporters, charts, reports and compare on fixture result sets, including
// failed runs, a partial suite and a corrupt line.
#include "report.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "compare_command.hpp"
#include "exporters.hpp"
#include "fields.hpp"
#include "process.hpp"
#include "results_file.hpp"
#include "results_reader.hpp"
#include "summary.hpp"
#include "usage_error.hpp"

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

std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    return std::string((std::istreambuf_iterator<char>(in)), {});
}

/// Two folders a/ and b/ under `tmp` with these records.
std::pair<std::string, std::string> two_dirs(const TempDir& tmp, const std::vector<json>& a,
                                             const std::vector<json>& b) {
    fs::create_directories(tmp.path() / "a");
    fs::create_directories(tmp.path() / "b");
    write_jsonl(tmp.path() / "a" / "results.jsonl", a);
    write_jsonl(tmp.path() / "b" / "results.jsonl", b);
    return {(tmp.path() / "a").string(), (tmp.path() / "b").string()};
}

json with(json r, const std::string& key, json value) {
    r[key] = std::move(value);
    return r;
}

TEST(Results, MistypedLinesAreSkippedWithTheirReason) {
    const json good = record("sync", 100, 0, "ok", 1.0);
    const std::vector<std::pair<json, std::string>> bad = {
        {with(good, "backend", 7), "\"backend\" is an integer, not a string"},
        {with(good, "status", nullptr), "\"status\" is a null, not a string"},
        {with(record("sync", 100, 0, "failed", 0), "error", 5),
         "\"error\" is an integer, not a string"},
        {[&] { json r = good; r.erase("wall_s"); return r; }(), "an ok run with no \"wall_s\""},
        {with(good, "schema_version", 2),
         "schema_version 2, but this build reads version 1"},
        {with(good, "wall_s", -1.0), "an ok run with \"wall_s\" -1.0"},
        {with(good, "wall_s", 0), "an ok run with \"wall_s\" 0"},
        {with(good, "params", "tasks=1"), "\"params\" is a string, not an object"},
        {with(good, "backend_params", json::array()),
         "\"backend_params\" is an array, not an object"},
        {with(good, "status", "fine"), "unknown status \"fine\""},
        {with(good, "repetition", -1), "\"repetition\" is -1, not a non-negative"},
        {with(good, "repetition", 1.5), "\"repetition\" is 1.5, not a non-negative"},
        {json::array({1, 2}), "an array, not an object"},
    };
    TempDir tmp;
    {
        std::ofstream out(tmp.path() / "results.jsonl");
        out << good.dump() << "\n";
        for (const auto& [r, why] : bad) out << r.dump() << "\n";
    }
    const RunSet set = read_results((tmp.path() / "results.jsonl").string());
    ASSERT_EQ(set.records.size(), 1u);
    ASSERT_EQ(set.problems.size(), bad.size());
    for (std::size_t i = 0; i < bad.size(); ++i) {
        EXPECT_EQ(set.problems[i].rfind(fmt::format("results.jsonl:{}: ", i + 2), 0), 0u)
            << set.problems[i];
        EXPECT_NE(set.problems[i].find(bad[i].second), std::string::npos) << set.problems[i];
    }
    // report and compare go on without them, and the report says how many were skipped.
    const std::string exe = program_from_env("CONCBENCH");
    Output o = run_program({exe, "report", tmp.path().string()});
    EXPECT_EQ(o.code, 0) << o.err;
    EXPECT_NE(o.err.find("results.jsonl:2: \"backend\" is an integer, not a string (skipped)"),
              std::string::npos)
        << o.err;
    EXPECT_EQ(o.err.find("json.exception"), std::string::npos) << o.err;
    EXPECT_NE(slurp(tmp.path() / "report.md")
                  .find("13 lines of results.jsonl did not keep the results contract and were "
                        "skipped"),
              std::string::npos);
    o = run_program({exe, "compare", tmp.path().string(), tmp.path().string()});
    EXPECT_EQ(o.code, 0) << o.err;
}

TEST(Results, RefusesASymlinkAFifoOrADevice) {
    TempDir tmp;
    const fs::path link = tmp.path() / "results.jsonl";
    write_jsonl(tmp.path() / "elsewhere.jsonl", fixture());
    fs::create_symlink(tmp.path() / "elsewhere.jsonl", link);
    EXPECT_THROW(read_results(link.string()), UsageError);
    EXPECT_THROW(ResultsFile{link.string()}, UsageError);
    const Output o =
        run_program({program_from_env("CONCBENCH"), "report", tmp.path().string()});
    EXPECT_EQ(o.code, 2);
    EXPECT_NE(o.err.find("is a symbolic link"), std::string::npos) << o.err;
    fs::remove(link);
    ASSERT_EQ(mkfifo(link.c_str(), 0644), 0);  // a plain open would block on it
    EXPECT_THROW(read_results(link.string()), UsageError);
    EXPECT_THROW(ResultsFile{link.string()}, UsageError);
    EXPECT_THROW(read_results("/dev/zero"), UsageError);
    EXPECT_THROW(ResultsFile{"/dev/null"}, UsageError);
}

TEST(Results, ALineLongerThanTheCapIsSkippedUnkept) {
    TempDir tmp;
    {
        std::ofstream out(tmp.path() / "results.jsonl");
        out << std::string(kMaxResultLineBytes + 10, ' ') << "\n"
            << record("sync", 1, 0, "ok", 1).dump() << "\n"
            << std::string(kMaxResultLineBytes + 1, 'x');  // and no newline at the end
    }
    const RunSet set = read_results((tmp.path() / "results.jsonl").string());
    EXPECT_EQ(set.records.size(), 1u);
    ASSERT_EQ(set.problems.size(), 2u);
    EXPECT_EQ(set.problems[0], "results.jsonl:1: longer than 64 MiB (skipped)");
    EXPECT_EQ(set.problems[1], "results.jsonl:3: longer than 64 MiB (skipped)");
}

TEST(ResultsFile, AFailedAppendSaysHowToContinue) {
    // A file size limit stands in for a full disk: the same failed write(), and the same
    // message naming what failed and how the suite continues.
    TempDir tmp;
    std::ofstream(tmp.path() / "run.json") << "{}";
    const std::string path = (tmp.path() / "results.jsonl").string();
    const auto append_past_the_limit = [&path] {
        std::signal(SIGXFSZ, SIG_IGN);
        const rlimit small{4096, 4096};
        setrlimit(RLIMIT_FSIZE, &small);
        try {
            ResultsFile f(path);
            f.append(json{{"x", std::string(8192, 'x')}});
        } catch (const std::exception& e) {
            std::fprintf(stderr, "%s\n", e.what());
            std::exit(0);
        }
        std::exit(1);
    };
    EXPECT_EXIT(append_past_the_limit(), testing::ExitedWithCode(0),
        "write .*results.jsonl: .*; the runs recorded in .* are kept: once there is "
        "room .*`concbench run --resume .*` continues");
}

TEST(Compare, EveryNewRunFailingIsARegression) {
    TempDir tmp;
    std::vector<json> base, crashed;
    for (int rep = 0; rep < 5; ++rep) {
        base.push_back(record("async", 100, rep, "ok", 0.1));
        crashed.push_back(record("async", 100, rep, "crashed", 0));
    }
    const auto [a, b] = two_dirs(tmp, base, crashed);
    const std::string exe = program_from_env("CONCBENCH");
    Output o = run_program({exe, "compare", a, b, "--fail-on-regression", "5"});
    EXPECT_EQ(o.code, 1) << o.err;
    EXPECT_NE(o.out.find("| no successful run in new |"), std::string::npos) << o.out;
    EXPECT_NE(o.err.find("succeeded in base and has no successful run in new"),
              std::string::npos)
        << o.err;
    EXPECT_EQ(run_program({exe, "compare", a, b}).code, 0);  // no gate asked for
}

TEST(Compare, NoMatchingCellIsAnInputError) {
    TempDir tmp;
    const auto [a, b] = two_dirs(tmp, {record("async", 100, 0, "ok", 0.1)},
                                 {record("sync", 100, 0, "ok", 0.1)});
    const Output o =
        run_program({program_from_env("CONCBENCH"), "compare", a, b, "--fail-on-regression", "5"});
    EXPECT_EQ(o.code, 2);
    EXPECT_NE(o.err.find("matches one of"), std::string::npos) << o.err;
    EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
}

TEST(Compare, AnIoErrorIsNotARegression) {
    TempDir tmp;
    const auto [a, b] = two_dirs(tmp, {record("async", 100, 0, "ok", 0.1)},
                                 {record("async", 100, 0, "ok", 0.1)});
    fs::create_directories(fs::path(b) / "compare.md");  // the rename onto it fails
    const Output o =
        run_program({program_from_env("CONCBENCH"), "compare", a, b, "--fail-on-regression", "5"});
    EXPECT_EQ(o.code, 2) << o.err;
    EXPECT_NE(o.err.find("compare.md"), std::string::npos) << o.err;
}

TEST(Report, BaselineThatNamesNoBackendIsAnError) {
    TempDir tmp;
    write_jsonl(tmp.path() / "results.jsonl", fixture());
    EXPECT_NO_THROW(check_baseline(tmp.path().string(), "async"));
    try {
        check_baseline(tmp.path().string(), "asynk");
        ADD_FAILURE() << "no error";
    } catch (const UsageError& e) {
        EXPECT_NE(std::string(e.what()).find("--baseline asynk names no backend in"),
                  std::string::npos);
        EXPECT_NE(std::string(e.what()).find("there: async, sync, threads"), std::string::npos)
            << e.what();
    }
}

TEST(Exporters, ValuesFromResultsAreEscapedInMarkdown) {
    std::vector<json> records = {record("<b>bold</b>|x", 100, 0, "failed", 0)};
    records[0]["error"] = "boom\n```\n# injected heading\n| a | b |\n<script>alert(1)</script>";
    const auto cells = summarize_cells(records);
    const Document doc =
        build_report(cells, json{{"command_line", "concbench run ```\n# not a heading"}}, {}, {}, {});
    const std::string md = to_markdown(doc);
    EXPECT_EQ(md.find("<b>"), std::string::npos) << md;
    EXPECT_EQ(md.find("<script>"), std::string::npos) << md;
    EXPECT_EQ(md.find("\n# injected"), std::string::npos) << md;
    EXPECT_EQ(md.find("\n| a | b |"), std::string::npos) << md;
    EXPECT_NE(md.find("\\<b\\>bold\\</b\\>\\|x"), std::string::npos) << md;
    // The command line keeps its text, in a fence it cannot close.
    EXPECT_NE(md.find("````\nconcbench run ```\n# not a heading\n````"), std::string::npos) << md;
    const std::string html = to_html(doc, ".");
    EXPECT_EQ(html.find("<script>alert"), std::string::npos);
}

TEST(Exporters, ReportsShowTheStartOfALongError) {
    std::vector<json> records = {record("sync", 100, 0, "failed", 0)};
    records[0]["error"] = std::string(1 << 20, 'e');
    const auto cells = summarize_cells(records);
    const std::string md = to_markdown(build_report(cells, json::object(), {}, {}, {}));
    EXPECT_LT(md.size(), 10000u);
    EXPECT_NE(md.find(fmt::format("... ({} more bytes in results.jsonl)", (1 << 20) - 492)),
              std::string::npos);
    EXPECT_LT(to_summary_json(cells, "sync", {}).size(), 20000u);
    EXPECT_EQ(capped_error("ab", 500), "ab");
    EXPECT_EQ(capped_error("aé", 2), "a... (2 more bytes in results.jsonl)");  // not mid-character
}

TEST(Report, ChartsForNamesWithASlashOrALeadingDash) {
    std::vector<json> records;
    for (int rep = 0; rep < 3; ++rep) {
        records.push_back(record("a/b", 100, rep, "ok", 0.1));
        records.back()["workload"] = "-w/x";
    }
    TempDir tmp;
    const fs::path dir = tmp.path() / "-dir";
    fs::create_directories(dir);
    write_jsonl(dir / "results.jsonl", records);
    const Output o = run_program({program_from_env("CONCBENCH"), "report", dir.string()});
    EXPECT_EQ(o.code, 0) << o.err;
    EXPECT_EQ(o.err.find("charts not drawn"), std::string::npos) << o.err;
    EXPECT_GT(fs::file_size(dir / "plots" / "bars--w_x-0.png"), 1000u);
    EXPECT_NE(slurp(dir / "report.md").find("](plots/bars--w_x-0.png)"), std::string::npos);
}

TEST(Report, ManySamplesGiveASoundIntervalAndACharts) {
    std::vector<json> records;
    for (int rep = 0; rep < 1100; ++rep)
        records.push_back(record("sync", 1, rep, "ok", 0.001 + rep * 1e-6));
    TempDir tmp;
    write_jsonl(tmp.path() / "results.jsonl", records);
    const Output o = run_program({program_from_env("CONCBENCH"), "report", tmp.path().string()});
    EXPECT_EQ(o.code, 0) << o.err;
    EXPECT_EQ(o.err.find("charts not drawn"), std::string::npos) << o.err;
    const json cell = json::parse(slurp(tmp.path() / "summary.json")).at("cells").at(0);
    EXPECT_LE(cell.at("ci_low_s").get<double>(), cell.at("median_wall_s").get<double>());
    EXPECT_GE(cell.at("ci_high_s").get<double>(), cell.at("median_wall_s").get<double>());
}

TEST(Charts, ScriptsRefuseBadCellsInOneLine) {
    TempDir tmp;
    const auto cells = summarize_cells(fixture());
    json summary = json::parse(to_summary_json(cells, "sync", {}));
    summary["cells"][0]["ci_low_s"] = 5.0;  // above its median
    summary["cells"][1]["params"] = 3;
    std::ofstream(tmp.path() / "summary.json") << summary.dump();
    for (const char* script : {"bars.py", "latency.py", "cpu_wall.py", "sweep.py"}) {
        const Output o = run_program(
            {"/usr/bin/python3", program_from_env("CONCBENCH_PLOTS") + "/" + script, "--",
             (tmp.path() / "summary.json").string(), (tmp.path() / "plots").string()});
        EXPECT_EQ(o.code, 1) << script << o.err;
        EXPECT_EQ(o.err.find("Traceback"), std::string::npos) << o.err;
        EXPECT_NE(o.err.find("does not contain its median 1.0; left out of the charts"),
                  std::string::npos)
            << o.err;
        EXPECT_NE(o.err.find("\"params\" is not an object"), std::string::npos) << o.err;
    }
    EXPECT_TRUE(fs::exists(tmp.path() / "plots" / "bars-sleep-1.png"));  // the others drawn
}

TEST(Report, InterruptedSaysSoAndWritesNoReport) {
    // Chart scripts that hang, so the SIGTERM lands while they run.
    TempDir tmp;
    const fs::path scripts = tmp.path() / "scripts", dir = tmp.path() / "run";
    fs::create_directories(scripts);
    fs::create_directories(dir);
    for (const char* s : {"bars.py", "latency.py", "cpu_wall.py", "sweep.py"})
        std::ofstream(scripts / s) << "import pathlib, sys, time\n"
                                      "pathlib.Path(sys.argv[-1] + '.started').touch()\n"
                                      "time.sleep(60)\n";
    write_jsonl(dir / "results.jsonl", fixture());
    const std::string script =
        "CONCBENCH_PLOTS=" + scripts.string() + " \"$0\" report \"$1\" 2>\"$1/err\" & pid=$!; " +
        "while [ ! -e \"$1/plots.started\" ]; do sleep 0.05; done; kill -TERM $pid; wait $pid";
    const Output o =
        run_program({"/bin/sh", "-c", script, program_from_env("CONCBENCH"), dir.string()});
    EXPECT_EQ(o.code, 128 + SIGTERM);
    const std::string err = slurp(dir / "err");
    EXPECT_NE(err.find("concbench: report interrupted by SIGTERM"), std::string::npos) << err;
    EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
    EXPECT_FALSE(fs::exists(dir / "report.md"));
    EXPECT_TRUE(fs::exists(dir / "summary.json"));
}

}  // namespace
}  // namespace concbench

