// Summaries, exporters, charts and reports on fixture result sets, including failed runs, a
// partial suite and a corrupt line. compare and results.jsonl's reader have their own files.
#include "report.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
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
#include "records.hpp"
#include "results_file.hpp"
#include "results_reader.hpp"
#include "summary.hpp"
#include "usage_error.hpp"

namespace concbench {
namespace {

using nlohmann::json;
using namespace testing_support;
using namespace test_records;
namespace fs = std::filesystem;

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
    const Document doc = build_report(
        cells, json{{"command_line", "concbench run ```\n# not a heading"}}, {}, {}, {});
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
    for (const std::string& script : chart_scripts()) {
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
    for (const std::string& s : chart_scripts())
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
