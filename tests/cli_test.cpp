// The concbench command line as a user meets it: list, run, and bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

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
    EXPECT_EQ(names, (std::vector<std::string>{"sync", "threads", "async", "async-mt"}));
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
    for (const char* name : {"sync", "threads", "async", "async-mt", "sleep", "cpu", "concurrency"})
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
    ASSERT_EQ(lines.size(), 4u * 2u * 2u);
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
    EXPECT_NE(o.err.find("[2/16] sleep tasks=4 ms=1 on sync: 2/2 ok, median "), std::string::npos)
        << o.err;
    EXPECT_EQ(o.err.find("\r"), std::string::npos);
    // The summaries and the report come with the run.
    for (const char* f :
         {"summary.json", "summary.csv", "report.md", "report.html", "plots/bars-sleep-0.png"})
        EXPECT_TRUE(fs::exists(out / f)) << f;
    EXPECT_EQ(json::parse(std::ifstream(out / "summary.json")).at("cells").size(), 8u);
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

std::vector<BadInput> bad_inputs() {
    const std::vector<std::string> run = {"run", "--out", "OUT"};
    auto with = [&](std::vector<std::string> extra) {
        std::vector<std::string> a = run;
        a.insert(a.end(), extra.begin(), extra.end());
        return a;
    };
    return {
        {with({"--backend", "asink"}),
         "unknown backend 'asink': did you mean 'async'? valid are sync, threads, async, async-mt, or all"},
        {with({"--backend", "sync,"}), "empty backend name"},
        {with({"--workload", "slep"}), "unknown workload 'slep': did you mean 'sleep'? valid are"},
        {with({"--param", "tsks=5"}), "unknown parameter 'tsks' for the selected backends and workloads: did you mean 'tasks'?"},
        {with({"--param", "sleep.tsks=5"}), "unknown parameter 'tsks' for sleep: did you mean 'tasks'?"},
        {with({"--workload", "sleep", "--backend", "sync", "--param", "threads=2"}),
         "unknown parameter 'threads'"},
        {with({"--param", "tasks=abc"}), "invalid value 'abc' for tasks"},
        {with({"--param", "tasks=0"}), "tasks=0 is out of range"},
        {with({"--param", "tasks=-3"}), "tasks=-3 is out of range"},
        {with({"--workload", "sleep", "--param", "tasks=99999999"}),
         "out of range: valid is 1..10000000"},
        {with({"--param", "tasks=1:0:*10"}), "malformed range '1:0:*10'"},
        {with({"--param", "tasks=1:10:*1"}), "factor must be at least 2"},
        {with({"--param", "tasks=1,,2"}), "empty value"},
        {with({"--param", "tasks"}), "expected name=value"},
        {with({"--param", "tasks=1", "--param", "tasks=2"}), "given twice"},
        {with({"--workload", "sleep", "--param", "ms=5min"}), "invalid value '5min' for ms"},
        {with({"--backend", "async", "--param", "offload=turbo"}),
         "valid choices are inline, pool"},
        {with({"--repetitions", "0"}), "--repetitions 0 is out of range"},
        {with({"--repetitions", "many"}), "--repetitions"},
        {with({"--warmup", "-1"}), "--warmup -1 is out of range"},
        {with({"--timeout", "0"}), "--timeout 0 is out of range"},
        {with({"--frobnicate"}), "frobnicate"},
        {with({"--workload", "http", "--param", "timeout_ms=-5"}), "timeout_ms=-5 is out of range"},
        {with({"--server-fault", "drop=2"}),
         "--fault drop=2: out of range: a probability is 0..1 (0%..100%)"},
        {with({"--server-fault", "flood=0.1"}),
         "unknown fault 'flood'; valid is KIND=P[,KIND=P...] with KIND one of drop, reset, 500, stall"},
        {with({"--server-fault", "drop=0.7,reset=70%"}), "the probabilities add up to 1.4, more than 1"},
        {with({"--max-error-rate", "1.5"}), "--max-error-rate 1.5 is out of range: valid is a fraction of 0..1"},
        {{"run", "--resume", "FULL", "--server-fault", "drop=0.1"}, "excludes"},
        {{"serve", "--fault", "drop=x"}, "--fault drop=x: not a probability"},
        {{"serve", "--stall-ms", "0"}, "--stall-ms 0 is out of range: valid is 1..3600000"},
        {{"run-one", "--backend", "sync", "--workload", "http", "--max-error-rate", "-1"},
         "--max-error-rate -1 is out of range"},
        {{"run", "--out", "/proc/concbench-cannot-write-here"},
         "cannot create --out /proc/concbench-cannot-write-here"},
        {{"run", "--out", "FULL"}, "is not empty: choose a new directory, or continue that suite with --resume"},
        {{"run", "--resume", "FULL", "--backend", "sync"}, "--backend excludes --resume"},
        {{"run", "--resume", "FULL", "--out", "OUT"}, "excludes"},
        {{"run", "--resume", "FULL"}, "no run.json there"},
        {{"run", "--resume", "OLD"}, "written with results schema version 0, this concbench writes version 1"},
        {{}, "A subcommand is required"},
        {{"bench"}, "bench"},
        {{"run-one", "--backend", "sync", "--workload", "sleep", "--param", "tasks=1,2"},
         "run-one runs one cell"},
        {{"run-one", "--backend", "nope", "--workload", "sleep"}, "unknown backend 'nope'"},
    };
}

INSTANTIATE_TEST_SUITE_P(Cli, BadInputTable, testing::ValuesIn(bad_inputs()));

}  // namespace
}  // namespace concbench
