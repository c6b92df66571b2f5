// The end-of-suite table: medians, ratio to sync, efficiency, failures with reasons.
#include "summary_table.hpp"

#include <gtest/gtest.h>

#include <iterator>
#include <sstream>

namespace concbench {
namespace {

RunRecord record(const Cell& c, const std::string& status, double wall, int rep = 0) {
    const double ideal = 0.1;
    RunRecord r;
    r.repetition = rep;
    r.backend = c.backend->name;
    r.workload = c.workload->name();
    r.m.status = status;
    r.m.wall_s = wall;
    r.m.ideal_wall_s = ideal;
    if (status != "ok") r.m.error = "it broke";
    r.peak_rss_bytes = 2 * 1024 * 1024;
    return r;
}

TEST(SummaryTable, MediansRatiosEfficiencyAndFailures) {
    const auto cells = expand_matrix(select_backends("sync,async"), select_workloads("sleep"),
                                     {split_param_arg("tasks=7")});
    ASSERT_EQ(cells.size(), 2u);
    std::vector<CellRuns> runs = {
        {cells[0],
         {record(cells[0], "ok", 0.9), record(cells[0], "ok", 1.0), record(cells[0], "ok", 5.0)}},
        {cells[1],
         {record(cells[1], "ok", 0.2), record(cells[1], "timeout", 0, 1),
          record(cells[1], "ok", 0.3, 2)}},
    };
    const std::string table = format_table(runs);
    EXPECT_NE(table.find("tasks=7"), std::string::npos) << table;
    EXPECT_NE(table.find("1.000 s"), std::string::npos) << table;   // sync median of 0.9, 1, 5
    EXPECT_NE(table.find("250.0 ms"), std::string::npos) << table;  // async median of 0.2, 0.3
    EXPECT_NE(table.find("4.00x"), std::string::npos) << table;     // 1.0 / 0.25
    EXPECT_NE(table.find("40%"), std::string::npos) << table;       // 0.1 / 0.25
    EXPECT_NE(table.find("2/3"), std::string::npos) << table;
    EXPECT_NE(table.find("2 ok, 1 timeout"), std::string::npos) << table;
    EXPECT_NE(table.find("2.0 MiB"), std::string::npos) << table;
    EXPECT_NE(table.find("rep 1: timeout: it broke"), std::string::npos) << table;
}

TEST(SummaryTable, NoOkRunsShowsNoFigures) {
    const auto cells = expand_matrix(select_backends("async"), select_workloads("sleep"), {});
    const std::string table = format_table({{cells[0], {record(cells[0], "crashed", 0)}}});
    EXPECT_NE(table.find("0/1"), std::string::npos) << table;
    // No time is printed for a run that did not succeed: the median column is "-".
    std::istringstream rows(table);
    std::string header, rule, row;
    std::getline(rows, header);
    std::getline(rows, rule);
    std::getline(rows, row);
    std::istringstream cols(row);
    std::vector<std::string> tokens{std::istream_iterator<std::string>(cols), {}};
    ASSERT_GE(tokens.size(), 5u) << row;
    EXPECT_EQ(tokens[4], "-") << row;
    EXPECT_NE(table.find("1 crashed"), std::string::npos) << table;
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
