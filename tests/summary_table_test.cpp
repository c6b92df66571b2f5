// The end-of-suite table: medians, ratio to the baseline, efficiency, failures with reasons.
#include "summary_table.hpp"

#include <gtest/gtest.h>

#include <iterator>
#include <sstream>

#include "child_record.hpp"

namespace concbench {
namespace {

using nlohmann::json;

json record(const std::string& backend, int tasks, int rep, const std::string& status,
            double wall) {
    json r = {{"backend", backend},
              {"workload", "sleep"},
              {"params", {{"tasks", tasks}, {"ms", 100}, {"concurrency", 0}}},
              {"backend_params", json::object()},
              {"param_defaults", {{"tasks", 1000}, {"ms", 100}, {"concurrency", 0}}},
              {"repetition", rep},
              {"status", status},
              {"wall_s", status == "ok" ? json(wall) : json(nullptr)},
              {"peak_rss_bytes", 2 * 1024 * 1024},
              {"ideal_wall_s", 0.1}};
    if (status != "ok") r["error"] = "it broke";
    return r;
}

std::vector<std::string> row_tokens(const std::string& table, int row) {
    std::istringstream rows(table);
    std::string line;
    for (int i = 0; i < row + 3; ++i) std::getline(rows, line);  // past the header and rule
    std::istringstream cols(line);
    return {std::istream_iterator<std::string>(cols), {}};
}

TEST(SummaryTable, MediansRatiosEfficiencyAndFailures) {
    const auto cells =
        summarize_cells({record("sync", 7, 0, "ok", 0.9), record("sync", 7, 1, "ok", 1.0),
                         record("sync", 7, 2, "ok", 5.0), record("async", 7, 0, "ok", 0.2),
                         record("async", 7, 1, "timeout", 0), record("async", 7, 2, "ok", 0.3)});
    const std::string table = format_table(cells);
    EXPECT_NE(table.find("vs sync"), std::string::npos) << table;
    EXPECT_EQ(row_tokens(table, 0),
              (std::vector<std::string>{"sleep", "tasks=7", "sync", "3/3", "1.000", "s", "1.00x",
                                        "10%", "2.0", "MiB", "ok"}));
    EXPECT_EQ(row_tokens(table, 1),
              (std::vector<std::string>{"sleep", "tasks=7", "async", "2/3", "250.0", "ms", "4.00x",
                                        "40%", "2.0", "MiB", "2", "ok,", "1", "timeout"}));
    EXPECT_NE(table.find("sleep tasks=7 [async]: 1 runs not ok; first: timeout: it broke"),
              std::string::npos)
        << table;
}

TEST(SummaryTable, ShowsTheParamsThatVaryAndNoTimeForFailures) {
    const auto cells =
        summarize_cells({record("async", 10, 0, "ok", 0.1), record("async", 20, 0, "crashed", 0)});
    const std::string table = format_table(cells);
    EXPECT_EQ(row_tokens(table, 0)[1], "tasks=10") << table;
    const auto failed = row_tokens(table, 1);
    EXPECT_EQ(failed[3], "0/1");
    EXPECT_EQ(failed[4], "-");  // no time printed for a run that did not succeed
    EXPECT_EQ(failed.back(), "crashed");
}

TEST(SummaryTable, LabelsComeFromTheRecordsNotFromThisBuildsRegistries) {
    // Names no build has, with the labels and defaults their lines recorded.
    json r = record("warp-drive", 7, 0, "ok", 0.5);
    r["workload"] = "teleport";
    r["backend_params"] = {{"coils", 4}};
    r["backend_label"] = "warp-drive coils=4";
    const auto cells = summarize_cells({r});
    EXPECT_EQ(cells.at(0).label(), "warp-drive coils=4");
    EXPECT_EQ(row_tokens(format_table(cells), 0)[1], "tasks=7");
}

TEST(SummaryTable, TheRecordOfARunCarriesItsLabels) {
    const auto cells = expand_matrix(select_backends("async-mt"), select_workloads("sleep"),
                                     {split_param_arg("threads=1000"), split_param_arg("tasks=7")});
    const json r = to_json(not_run(cells.at(0), 0, "not run"));
    EXPECT_EQ(r.at("backend_label"), "async-mt threads=1000");
    EXPECT_EQ(r.at("param_defaults").at("tasks"), 1000);
    EXPECT_EQ(r.at("params").at("tasks"), 7);
}

TEST(SummaryTable, OlderLinesWithoutLabelsShowEveryParameterGiven) {
    json r = record("async-mt", 7, 0, "ok", 0.5);
    r.erase("param_defaults");
    r["backend_params"] = {{"offload", "inline"}, {"threads", 4}};
    const auto cells = summarize_cells({r});
    EXPECT_EQ(cells.at(0).label(), "async-mt offload=inline threads=4");
    const auto row = row_tokens(format_table(cells), 0);
    EXPECT_EQ(std::vector<std::string>(row.begin() + 1, row.begin() + 4),
              (std::vector<std::string>{"concurrency=0", "ms=100", "tasks=7"}));
}

TEST(Format, SecondsAndBytes) {
    EXPECT_EQ(format_seconds(0.0000123), "12.3 us");
    EXPECT_EQ(format_seconds(0.0123), "12.3 ms");
    EXPECT_EQ(format_seconds(12.3456), "12.346 s");
    EXPECT_EQ(format_bytes(512), "512 B");
    EXPECT_EQ(format_bytes(1536), "1.5 KiB");
    EXPECT_EQ(format_bytes(3.5 * 1024 * 1024 * 1024), "3.5 GiB");
}

}  // namespace
}  // namespace concbench
