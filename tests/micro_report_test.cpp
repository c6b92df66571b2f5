// The micro-suite's report: Google Benchmark's micro.json (a fixture here) read into a table
// of ns per operation, the chart, and `concbench report` on a folder written by make micro.
#include "micro_report.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "process.hpp"

namespace concbench {
namespace {

using nlohmann::json;
using namespace testing_support;
namespace fs = std::filesystem;

json iteration(const std::string& name, double real, double cpu, const std::string& unit = "ns") {
    return {{"name", name},   {"run_name", name}, {"run_type", "iteration"},
            {"iterations", 1000}, {"real_time", real}, {"cpu_time", cpu},
            {"time_unit", unit}};
}

/// As concbench-micro writes it: registry order, Google Benchmark's name suffixes, three
/// repetitions of one benchmark with their aggregates, a skipped one, a variant, microseconds.
json fixture() {
    const std::string s = "/process_time/real_time";
    json skipped = {{"name", "ping_pong/sync" + s}, {"run_name", "ping_pong/sync" + s},
                    {"run_type", "iteration"},    {"error_occurred", true},
                    {"error_message", "not applicable: sync runs them one after another"}};
    json aggregate = iteration("spawn_join/sync" + s, 999, 999);
    aggregate["run_type"] = "aggregate";
    aggregate["aggregate_name"] = "mean";
    return {{"context", {{"host_name", "testhost"}, {"num_cpus", 2}, {"mhz_per_cpu", 2445},
                         {"library_build_type", "release"}, {"load_avg", {0.5, 0.25, 0.125}}}},
            {"benchmarks",
             {iteration("spawn_join/sync" + s, 190, 50), iteration("spawn_join/sync" + s, 200, 52),
              iteration("spawn_join/sync" + s, 2000, 54), aggregate,
              iteration("spawn_join/async" + s, 3.514, 3.2, "us"),
              iteration("offload/async/offload=pool" + s, 21397, 27419),
              iteration("ping_pong/async" + s, 77.04, 76.9), skipped}}};
}

void write(const fs::path& p, const std::string& text) {
    std::ofstream(p) << text;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

TEST(MicroTable, RowsPerPrimitiveColumnsPerBackendMediansInNanoseconds) {
    const MicroTable t = micro_table(fixture());
    EXPECT_EQ(t.rows, (std::vector<std::string>{"spawn_join", "offload offload=pool", "ping_pong"}));
    EXPECT_EQ(t.backends, (std::vector<std::string>{"sync", "async"}));
    const MicroCell& sync_spawn = t.cells[0][0];
    EXPECT_DOUBLE_EQ(*sync_spawn.real_ns, 200);  // the median of 190, 200, 2000: not the mean
    EXPECT_DOUBLE_EQ(*sync_spawn.cpu_ns, 52);
    EXPECT_DOUBLE_EQ(*t.cells[0][1].real_ns, 3514);  // microseconds in the JSON
    EXPECT_FALSE(t.cells[1][0].real_ns);            // offload=pool: not on sync
    EXPECT_EQ(t.cells[1][0].error, "");
    EXPECT_FALSE(t.cells[2][0].real_ns);
    EXPECT_EQ(t.cells[2][0].error, "not applicable: sync runs them one after another");
}

TEST(MicroTable, RefusesWhatIsNotTheMicroSuitesJson) {
    EXPECT_THROW(micro_table(json::array()), std::runtime_error);
    EXPECT_THROW(micro_table({{"benchmarks", {iteration("BM_alone", 1, 1)}}}), std::runtime_error);
    json no_time = iteration("yield/sync", 1, 1);
    no_time.erase("real_time");
    EXPECT_THROW(micro_table({{"benchmarks", {no_time}}}), std::runtime_error);
}

TEST(MicroReport, AFolderWithMicroJsonGetsTheTableAndTheChart) {
    TempDir tmp;
    write(tmp.path() / "micro.json", fixture().dump(1));
    const Output o = run_program({program_from_env("CONCBENCH"), "report", tmp.path().string()});
    ASSERT_EQ(o.code, 0) << o.err;
    const std::string md = slurp(tmp.path() / "report.md");  // Markdown: '_' escaped
    EXPECT_NE(md.find("| primitive | sync | async |"), std::string::npos) << md;
    EXPECT_NE(md.find("| spawn\\_join | 200 | 3,514 |"), std::string::npos) << md;
    EXPECT_NE(md.find("| offload offload=pool | - | 21,397 |"), std::string::npos) << md;
    EXPECT_NE(md.find("| ping\\_pong | n/a | 77.0 |"), std::string::npos) << md;
    EXPECT_NE(md.find("ping\\_pong on sync: not applicable"), std::string::npos) << md;
    EXPECT_NE(md.find("testhost"), std::string::npos);
    EXPECT_NE(md.find("](plots/micro.png)"), std::string::npos) << o.err;
    EXPECT_GT(fs::file_size(tmp.path() / "plots" / "micro.png"), 1000u);
    EXPECT_TRUE(fs::exists(tmp.path() / "report.html"));
    const json summary = json::parse(slurp(tmp.path() / "micro_summary.json"));
    EXPECT_EQ(summary.at("rows").at(0).at("real_ns").at("sync"), 200.0);
    EXPECT_TRUE(summary.at("rows").at(2).at("real_ns").at("sync").is_null());
}

TEST(MicroReport, ACorruptMicroJsonIsOneLineAndExitCode2) {
    TempDir tmp;
    write(tmp.path() / "micro.json", "{\"benchmarks\": [");
    const Output o = run_program({program_from_env("CONCBENCH"), "report", tmp.path().string()});
    EXPECT_EQ(o.code, 2);
    EXPECT_NE(o.err.find("micro.json is not Google Benchmark's JSON"), std::string::npos) << o.err;
    EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
    EXPECT_FALSE(fs::exists(tmp.path() / "report.md"));
}

}  // namespace
}  // namespace concbench
