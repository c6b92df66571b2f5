// The concbench command line as a user meets it: list, run, and bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <tuple>

#include "backend.hpp"
#include "process.hpp"

namespace concbench {
namespace {

using namespace testing_support;
using nlohmann::json;
namespace fs = std::filesystem;

std::string concbench() {
    return program_from_env("CONCBENCH");
}

TEST(List, JsonHasTheContractShape) {
    const Output o = run_program({concbench(), "list", "--json"});
    ASSERT_EQ(o.code, 0) << o.err;
    const json j = json::parse(o.out);
    std::vector<std::string> names;
    for (const auto& b : j.at("backends")) {
        names.push_back(b.at("name"));
        EXPECT_TRUE(b.at("description").is_string());
        EXPECT_TRUE(b.at("params").is_array());
    }
    EXPECT_EQ(names, (std::vector<std::string>{"sync", "threads", "async", "async-mt", "pool",
                                               "tbb"}));
    std::vector<std::string> workloads;
    for (const auto& w : j.at("workloads")) {
        workloads.push_back(w.at("name"));
        EXPECT_TRUE(w.at("kind").is_string());
        for (const auto& p : w.at("params")) {
            EXPECT_TRUE(p.contains("name"));
            EXPECT_TRUE(p.contains("default"));
            EXPECT_TRUE(p.contains("min"));
            EXPECT_TRUE(p.contains("max"));
        }
    }
    EXPECT_NE(std::find(workloads.begin(), workloads.end(), "sleep"), workloads.end());
    EXPECT_NE(std::find(workloads.begin(), workloads.end(), "cpu"), workloads.end());
}

TEST(List, TextNamesEveryBackendAndWorkload) {
    const Output o = run_program({concbench(), "list"});
    ASSERT_EQ(o.code, 0);
    for (const char* name :
         {"sync", "threads", "async", "async-mt", "pool", "tbb", "sleep", "cpu", "concurrency"})
        EXPECT_NE(o.out.find(name), std::string::npos) << name;
}

TEST(Run, WritesOneCompleteLinePerRunAndATable) {
    TempDir tmp;
    const fs::path out = tmp.path() / "out";
    const Output o =
        run_program({concbench(), "run", "--backend", "all", "--workload", "sleep", "--param",
                     "tasks=4", "--param", "ms=1,2", "--repetitions", "2", "--out", out.string()});
    ASSERT_EQ(o.code, 0) << o.err;
    const auto lines = read_lines(out / "results.jsonl");
    ASSERT_EQ(lines.size(), backends().size() * 2u * 2u);  // backends x ms x repetitions
    const char* fields[] = {"schema_version",
                            "backend",
                            "workload",
                            "params",
                            "repetition",
                            "status",
                            "wall_s",
                            "user_s",
                            "sys_s",
                            "peak_rss_bytes",
                            "voluntary_ctx_switches",
                            "involuntary_ctx_switches",
                            "ops",
                            "ops_per_s",
                            "latency_s",
                            "ideal_wall_s",
                            "validated"};
    for (const auto& line : lines) {
        const json r = json::parse(line);
        for (const char* f : fields) EXPECT_TRUE(r.contains(f)) << f << " missing in " << line;
        EXPECT_EQ(r.at("status"), "ok") << line;
        EXPECT_EQ(r.at("validated"), true);
        EXPECT_EQ(r.at("ops"), 4);
        EXPECT_GE(r.at("wall_s").get<double>(), r.at("params").at("ms").get<double>() / 1000);
        EXPECT_GT(r.at("peak_rss_bytes").get<long>(), 0);
        EXPECT_TRUE(r.at("latency_s").contains("p99"));
    }
    const json env = json::parse(std::ifstream(out / "env.json"));
    for (const char* f : {"host", "cpu_model", "cores", "kernel", "compiler", "build_type",
                          "boost_version", "onetbb_version", "git_describe", "date"})
        EXPECT_TRUE(env.contains(f)) << f;
    for (const char* s : {"median wall", "vs sync", "efficiency", "peak RSS", "async-mt"})
        EXPECT_NE(o.out.find(s), std::string::npos) << s;
    // Not a terminal: one plain line per finished cell.
    const std::string first = "[2/" + std::to_string(backends().size() * 2 * 2) +
                              "] sleep tasks=4 ms=1 on sync: 2/2 ok, median ";
    EXPECT_NE(o.err.find(first), std::string::npos) << o.err;
    EXPECT_EQ(o.err.find("\r"), std::string::npos);
    // The summaries and the report come with the run.
    for (const char* f :
         {"summary.json", "summary.csv", "report.md", "report.html", "plots/bars-sleep-0.png"})
        EXPECT_TRUE(fs::exists(out / f)) << f;
    EXPECT_EQ(json::parse(std::ifstream(out / "summary.json")).at("cells").size(),
              backends().size() * 2);
}

TEST(RunOne, PrintsOneMeasurement) {
    const Output o = run_program({concbench(), "run-one", "--backend", "async", "--workload", "cpu",
                                  "--param", "tasks=2", "--param", "work=1"});
    ASSERT_EQ(o.code, 0) << o.err;
    const json m = json::parse(o.out);
    EXPECT_EQ(m.at("status"), "ok");
    EXPECT_EQ(m.at("validated"), true);
    EXPECT_EQ(m.at("ops"), 2);
}

// Bad input: one line on stderr naming what is wrong and what is valid, exit code 2, and
// nothing written.
struct BadInput {
    std::vector<std::string> args;
    std::string message;  // a part of the expected error line
};

class BadInputTable : public testing::TestWithParam<BadInput> {};

TEST_P(BadInputTable, OneLineExitTwoNothingWritten) {
    TempDir tmp;
    const fs::path out = tmp.path() / "out";
    fs::create_directory(tmp.path() / "full");
    std::ofstream(tmp.path() / "full" / "results.jsonl") << "{}\n";
    fs::create_directory(tmp.path() / "old");
    std::ofstream(tmp.path() / "old" / "run.json") << R"({"schema_version": 0})";
    std::vector<std::string> argv = {concbench()};
    for (auto a : GetParam().args) {
        if (a == "OUT") a = out.string();
        if (a == "FULL") a = (tmp.path() / "full").string();
        if (a == "OLD") a = (tmp.path() / "old").string();
        argv.push_back(a);
    }
    const Output o = run_program(argv);
    EXPECT_EQ(o.code, 2) << o.err;
    EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
    EXPECT_EQ(o.err.rfind("concbench: error: ", 0), 0u) << o.err;
    EXPECT_NE(o.err.find(GetParam().message), std::string::npos) << o.err;
    EXPECT_FALSE(fs::exists(out)) << "the run wrote " << out;
    EXPECT_EQ(read_lines(tmp.path() / "full" / "results.jsonl").size(), 1u);
}

/// `concbench run --out OUT` and `extra`.
std::vector<std::string> run_args(std::vector<std::string> extra) {
    std::vector<std::string> a = {"run", "--out", "OUT"};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
}

/// Names and values of `run`: backends, workloads, parameters and their ranges, options.
std::vector<BadInput> run_bad_inputs() {
    return {
        {run_args({"--backend", "asink"}),
         "unknown backend 'asink': did you mean 'async'? valid are sync, threads, async, async-mt, "
         "pool, tbb, or all"},
        {run_args({"--backend", "sync,"}), "empty backend name"},
        {run_args({"--workload", "slep"}),
         "unknown workload 'slep': did you mean 'sleep'? valid are"},
        {run_args({"--param", "tsks=5"}),
         "unknown parameter 'tsks' for the selected backends and workloads: did you mean 'tasks'?"},
        {run_args({"--param", "sleep.tsks=5"}),
         "unknown parameter 'tsks' for sleep: did you mean 'tasks'?"},
        {run_args({"--workload", "sleep", "--backend", "sync", "--param", "threads=2"}),
         "unknown parameter 'threads'"},
        {run_args({"--param", "tasks=abc"}), "invalid value 'abc' for tasks"},
        {run_args({"--param", "tasks=0"}), "tasks=0 is out of range"},
        {run_args({"--param", "tasks=-3"}), "tasks=-3 is out of range"},
        {run_args({"--workload", "sleep", "--param", "tasks=99999999"}),
         "out of range: valid is 1..10000000"},
        {run_args({"--param", "tasks=1:0:*10"}), "malformed range '1:0:*10'"},
        {run_args({"--param", "tasks=1:10:*1"}), "factor must be at least 2"},
        {run_args({"--param", "tasks=1,,2"}), "empty value"},
        {run_args({"--param", "tasks"}), "expected name=value"},
        {run_args({"--param", "tasks=1", "--param", "tasks=2"}), "given twice"},
        {run_args({"--workload", "sleep", "--param", "ms=5min"}), "invalid value '5min' for ms"},
        {run_args({"--backend", "async", "--param", "offload=turbo"}),
         "valid choices are inline, pool"},
        {run_args({"--repetitions", "0"}), "--repetitions 0 is out of range"},
        {run_args({"--repetitions", "many"}), "--repetitions"},
        {run_args({"--warmup", "-1"}), "--warmup -1 is out of range"},
        {run_args({"--timeout", "0"}), "--timeout 0 is out of range"},
        {run_args({"--frobnicate"}), "frobnicate"},
        {run_args({"--workload", "http", "--param", "timeout_ms=-5"}),
         "timeout_ms=-5 is out of range"},
        {run_args({"--server-fault", "drop=2"}),
         "--fault drop=2: out of range: a probability is 0..1 (0%..100%)"},
        {run_args({"--server-fault", "flood=0.1"}),
         "unknown fault 'flood'; valid is KIND=P[,KIND=P...] with KIND one of drop, reset, 500, "
         "stall"},
        {run_args({"--server-fault", "drop=0.7,reset=70%"}),
         "the probabilities add up to 1.4, more than 1"},
        {run_args({"--max-error-rate", "1.5"}),
         "--max-error-rate 1.5 is out of range: valid is a fraction of 0..1"},
    };
}

/// Folders, resuming, the other subcommands, and the number grammar.
std::vector<BadInput> other_bad_inputs() {
    return {
        {{"run", "--resume", "FULL", "--server-fault", "drop=0.1"}, "excludes"},
        {{"serve", "--fault", "drop=x"}, "--fault drop=x: not a probability"},
        {{"serve", "--stall-ms", "0"}, "--stall-ms 0 is out of range: valid is 1..3600000"},
        {{"run-one", "--backend", "sync", "--workload", "http", "--max-error-rate", "-1"},
         "--max-error-rate -1 is out of range"},
        {{"run", "--out", "/proc/concbench-cannot-write-here"},
         "cannot create --out /proc/concbench-cannot-write-here"},
        {{"run", "--out", "FULL"},
         "is not empty: choose a new directory, or continue that suite with --resume"},
        {{"run", "--resume", "FULL", "--backend", "sync"}, "--backend excludes --resume"},
        {{"run", "--resume", "FULL", "--out", "OUT"}, "excludes"},
        {{"run", "--resume", "FULL"}, "no run.json there"},
        {{"run", "--resume", "OLD"},
         "written with results schema version 0, this concbench writes version 1"},
        {{}, "A subcommand is required"},
        {{"bench"}, "bench"},
        {{"run-one", "--backend", "sync", "--workload", "sleep", "--param", "tasks=1,2"},
         "run-one runs one cell"},
        {{"run-one", "--backend", "nope", "--workload", "sleep"}, "unknown backend 'nope'"},
        // An unset shell variable is not "the default".
        {{"run", "--resume", ""}, "--resume is empty: give a folder"},
        {{"run", "--resume", "  "}, "--resume is blank: give a folder"},
        {{"run", "--out", ""}, "--out is empty: give a folder"},
        {run_args({"--baseline", ""}), "--baseline is empty: give a backend name"},
        {{"report", "FULL", "--baseline", " "}, "--baseline is blank"},
        {run_args({"--backend", "async,threads", "--baseline", "sync"}),
         "--baseline sync is not one of the selected backends (async, threads)"},
        // One number grammar: that of --param.
        {run_args({"--repetitions", "0x3"}), "'0x3' is not an integer"},
        {run_args({"--repetitions", " 2"}), "' 2' is not an integer"},
        {run_args({"--warmup", "+1"}), "'+1' is not an integer"},
        {run_args({"--timeout", "inf"}), "'inf' is not a decimal number"},
        {{"serve", "--port", "0x50"}, "'0x50' is not an integer"},
        {run_args({"--timeout", "0.0009"}),
         "--timeout 0.0009 is out of range: valid is a number of seconds from 0.001 (1 ms)"},
        {run_args({"--backend", "threads", "--workload", "sleep", "--param", "stack_kb=8"}),
         "stack_kb=8 is out of range: valid is 0 or 16..1048576"},
        {run_args({"--backend", "threads", "--workload", "sleep", "--param", "stack_kb=0:32:+8"}),
         "stack_kb=8 (from range '0:32:+8') is out of range: valid is 0 or 16..1048576"},
        {run_args({"--backend", "sync", "--workload", "sleep", "--param", "tasks=1:10000",
                   "--param", "ms=1:10000", "--param", "concurrency=1:10000"}),
         "the matrix has 1000000000000 cells (more than 100000): narrow the parameter lists"},
        {{"bogus"},
         "unknown subcommand 'bogus': valid are list, run, run-one, serve, report, "
         "compare"},
    };
}

std::vector<BadInput> bad_inputs() {
    auto all = run_bad_inputs();
    const auto other = other_bad_inputs();
    all.insert(all.end(), other.begin(), other.end());
    return all;
}

INSTANTIATE_TEST_SUITE_P(Cli, BadInputTable, testing::ValuesIn(bad_inputs()));

TEST(Cli, VersionPrintsTheProjectVersion) {
    const Output o = run_program({concbench(), "--version"});
    EXPECT_EQ(o.code, 0) << o.err;
    EXPECT_EQ(o.out.rfind("concbench 0.", 0), 0u) << o.out;
}

TEST(Run, AMatrixPastTheCapIsRefusedBeforeAnythingIsBuilt) {
    // Every backend and workload: each pair's product alone is far past the cap, and building
    // it first took gigabytes. The count comes from the list sizes, at once.
    TempDir tmp;
    const Output o = run_program({concbench(), "run", "--backend", "all", "--workload", "all",
                                  "--param", "tasks=1:10000", "--param", "ms=1:10000", "--param",
                                  "concurrency=1:10000", "--out", (tmp.path() / "x").string()});
    EXPECT_EQ(o.code, 2) << o.err;
    EXPECT_NE(o.err.find("cells (more than 100000): narrow the parameter lists"), std::string::npos)
        << o.err;
    EXPECT_FALSE(fs::exists(tmp.path() / "x"));
}

TEST(Run, EveryCellOfALongSuiteIsRecordedAndSummarised) {
    // Summaries are kept in memory and written every few seconds and at the end, not rebuilt
    // after each cell: every cell must still reach summary.json. (The harness's cost per run
    // is measured by `make bench-harness`, not asserted here.)
    TempDir tmp;
    const Output o =
        run_program({concbench(), "run", "--backend", "sync", "--workload", "sleep", "--param",
                     "tasks=1", "--param", "ms=0", "--param", "concurrency=0:199", "--repetitions",
                     "1", "--no-report", "--out", (tmp.path() / "out").string()});
    ASSERT_EQ(o.code, 0) << o.err;
    EXPECT_EQ(read_lines(tmp.path() / "out" / "results.jsonl").size(), 200u);
    EXPECT_EQ(json::parse(std::ifstream(tmp.path() / "out" / "summary.json")).at("cells").size(),
              200u);  // the summaries of the last cells too, written at the end
}

/// A folder with a run.json of schema 1 whose `field` is `value`.
fs::path run_json_with(const fs::path& dir, const std::string& field, const json& value) {
    json j = {{"schema_version", 1},   {"backends", "sync"},  {"workloads", "sleep"},
              {"params", {"tasks=1"}}, {"repetitions", 1},    {"warmup", 0},
              {"timeout_s", 10},       {"server_threads", 1}, {"baseline", "sync"}};
    j[field] = value;
    fs::create_directories(dir);
    std::ofstream(dir / "run.json") << j.dump();
    return dir;
}

TEST(Resume, ARunJsonOfWrongTypesOrRangesNamesTheField) {
    TempDir tmp;
    const std::vector<std::tuple<std::string, json, std::string>> cases = {
        {"repetitions", "3", "run.json: \"repetitions\" is \"3\": it should be an integer"},
        {"repetitions", 4294967297LL,
         "run.json: \"repetitions\" 4294967297 is out of range: valid "
         "is 1..1000"},
        {"warmup", 1.5, "\"warmup\" is 1.5: it should be an integer"},
        {"timeout_s", 0.0001, "\"timeout_s\" 0.0001 is out of range"},
        {"timeout_s", nullptr, "\"timeout_s\" is null: it should be a number"},
        {"params", {1, 2}, "\"params\" holds 1: it should be a list of strings"},
        {"backends", 7, "\"backends\" is 7: it should be a string"},
        {"baseline", "", "\"baseline\" is empty"},
        {"max_error_rate", 2, "\"max_error_rate\" 2 is out of range"},
    };
    int n = 0;
    for (const auto& [field, value, message] : cases) {
        const fs::path dir = run_json_with(tmp.path() / std::to_string(n++), field, value);
        const Output o = run_program({concbench(), "run", "--resume", dir.string()});
        EXPECT_EQ(o.code, 2) << field << ": " << o.err;
        EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
        EXPECT_NE(o.err.find(message), std::string::npos) << o.err;
        EXPECT_FALSE(fs::exists(dir / "results.jsonl")) << field;
    }
}

TEST(Resume, ASecondRunOnTheSameFolderIsRefusedWhileTheFirstHoldsIt) {
    TempDir tmp;
    const fs::path out = tmp.path() / "out";
    Background first({concbench(), "run", "--backend", "sync", "--workload", "sleep", "--param",
                      "tasks=1", "--param", "ms=300", "--repetitions", "5", "--no-report", "--out",
                      out.string()});
    for (int i = 0; i < 500 && !fs::exists(out / "run.json"); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    const Output o = run_program({concbench(), "run", "--resume", out.string(), "--no-report"});
    EXPECT_EQ(o.code, 2) << o.err;
    EXPECT_NE(o.err.find(out.string() + " is in use by another concbench run"), std::string::npos)
        << o.err;
    EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
    first.stop(SIGINT);
    // Once the first has gone, the folder is free again.
    const Output again = run_program({concbench(), "run", "--resume", out.string(), "--no-report"});
    EXPECT_EQ(again.err.find("is in use"), std::string::npos) << again.err;
}

TEST(Run, AFullDiskStopsTheSuiteSayingWhatFailedAndHowToContinue) {
    // A file size limit stands in for a full disk: writes past it fail (EFBIG) as on ENOSPC.
    TempDir tmp;
    const fs::path out = tmp.path() / "out";
    const std::string cmd = "ulimit -f 16; trap '' XFSZ; exec " + concbench() +
                            " run --backend sync --workload sleep --param tasks=1 --param "
                            "ms=0 --repetitions 100 --no-report --out " +
                            out.string();
    const Output o = run_program({"/bin/sh", "-c", cmd});
    EXPECT_EQ(o.code, 1) << o.err;
    EXPECT_NE(o.err.find("concbench: error: the suite stopped: "), std::string::npos) << o.err;
    EXPECT_NE(o.err.find("concbench run --resume " + out.string()), std::string::npos) << o.err;
    EXPECT_EQ(o.err.find("terminate"), std::string::npos) << o.err;
    // With room again, resume finishes the suite.
    const Output resumed =
        run_program({concbench(), "run", "--resume", out.string(), "--no-report"});
    EXPECT_EQ(resumed.code, 0) << resumed.err;
    // Every repetition once; the line the limit cut short is skipped as corrupt.
    std::set<int> reps;
    for (const auto& line : read_lines(out / "results.jsonl")) {
        const json r = json::parse(line, nullptr, false);
        if (!r.is_discarded()) {
            EXPECT_TRUE(reps.insert(r.at("repetition").get<int>()).second);
        }
    }
    EXPECT_EQ(reps.size(), 100u);
}

}  // namespace
}  // namespace concbench
