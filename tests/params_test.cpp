// Parameter values, lists and ranges, and the matrix the run command expands.
#include <gtest/gtest.h>
#include <limits.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "live_summaries.hpp"
#include "matrix.hpp"
#include "usage_error.hpp"

namespace concbench {
namespace {

const ParamSpec kTasks = ParamSpec::integer("tasks", 10, 1, 1'000'000, "");
const ParamSpec kMs = ParamSpec::duration("ms", "ms", 100, 0, 3'600'000, "");
const ParamSpec kOffload = ParamSpec::choice("offload", {"inline", "pool"}, "inline", "");

std::vector<std::int64_t> ints(const std::vector<ParamValue>& vs) {
    std::vector<std::int64_t> out;
    for (const auto& v : vs) out.push_back(std::get<std::int64_t>(v));
    return out;
}

/// A fresh folder for summary files, removed afterwards.
struct TempDirForSummaries {
    std::string path = std::filesystem::temp_directory_path() /
                       ("concbench-params-test-" + std::to_string(getpid()));
    TempDirForSummaries() { std::filesystem::create_directories(path); }
    ~TempDirForSummaries() { std::filesystem::remove_all(path); }
};

std::string usage_error(const std::function<void()>& f) {
    try {
        f();
    } catch (const UsageError& e) {
        return e.what();
    }
    return "no error";
}

TEST(ParamValue, ParsesIntegersDurationsAndChoices) {
    EXPECT_EQ(parse_param_value(kTasks, "42"), ParamValue{std::int64_t{42}});
    EXPECT_EQ(parse_param_value(kMs, "250"), ParamValue{std::int64_t{250}});
    EXPECT_EQ(parse_param_value(kMs, "2s"), ParamValue{std::int64_t{2000}});
    EXPECT_EQ(parse_param_value(kMs, "3000us"), ParamValue{std::int64_t{3}});
    EXPECT_EQ(parse_param_value(kOffload, "pool"), ParamValue{std::string("pool")});
}

TEST(ParamValue, RejectsWithAMessageNamingWhatIsValid) {
    auto msg = [](const ParamSpec& s, const char* text) {
        try {
            parse_param_value(s, text);
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_EQ(msg(kTasks, "abc"),
              "invalid value 'abc' for tasks: expected an integer in 1..1000000");
    EXPECT_EQ(msg(kTasks, "12x"),
              "invalid value '12x' for tasks: expected an integer in 1..1000000");
    EXPECT_EQ(msg(kTasks, "0"), "tasks=0 is out of range: valid is 1..1000000");
    EXPECT_EQ(msg(kTasks, "-5"), "tasks=-5 is out of range: valid is 1..1000000");
    EXPECT_EQ(msg(kTasks, "2000000"), "tasks=2000000 is out of range: valid is 1..1000000");
    EXPECT_EQ(msg(kMs, "1500us"), "invalid value '1500us' for ms: must be a whole number of ms");
    EXPECT_EQ(msg(kMs, "5min"),
              "invalid value '5min' for ms: expected a duration such as 100, 100ms or 1s, in "
              "0..3600000ms");
    EXPECT_EQ(msg(kOffload, "threads"),
              "invalid value 'threads' for offload: valid choices are inline, pool");
}

TEST(ExpandValues, ListsAndRanges) {
    EXPECT_EQ(ints(expand_values(kTasks, "10,100,1000")),
              (std::vector<std::int64_t>{10, 100, 1000}));
    EXPECT_EQ(ints(expand_values(kTasks, "1:1000000:*10")),
              (std::vector<std::int64_t>{1, 10, 100, 1000, 10000, 100000, 1000000}));
    EXPECT_EQ(ints(expand_values(kTasks, "1:4")), (std::vector<std::int64_t>{1, 2, 3, 4}));
    EXPECT_EQ(ints(expand_values(kTasks, "2:9:+3")), (std::vector<std::int64_t>{2, 5, 8}));
    EXPECT_EQ(ints(expand_values(kTasks, "1:20:*4,7")), (std::vector<std::int64_t>{1, 4, 16, 7}));
    EXPECT_EQ(ints(expand_values(kMs, "1ms:1s:*10")),
              (std::vector<std::int64_t>{1, 10, 100, 1000}));
    EXPECT_EQ(ints(expand_values(kTasks, "5:5")), (std::vector<std::int64_t>{5}));
}

TEST(ExpandValues, RejectsMalformedRanges) {
    EXPECT_EQ(usage_error([] { expand_values(kTasks, "1:0:*10"); }),
              "malformed range '1:0:*10' for tasks: start is greater than end (valid forms: a:b, "
              "a:b:+step, a:b:*factor)");
    EXPECT_EQ(usage_error([] { expand_values(kTasks, "1:10:*1"); }),
              "malformed range '1:10:*1' for tasks: factor must be at least 2 (valid forms: a:b, "
              "a:b:+step, a:b:*factor)");
    EXPECT_NE(usage_error([] { expand_values(kTasks, "1:10:/2"); }).find("step must be +N or *N"),
              std::string::npos);
    EXPECT_NE(usage_error([] { expand_values(kTasks, "1:10:+0"); }).find("positive integer"),
              std::string::npos);
    EXPECT_NE(usage_error([] { expand_values(kTasks, "1:2:3:4"); }).find("too many"),
              std::string::npos);
    EXPECT_NE(usage_error([] { expand_values(kTasks, "1:2000000"); }).find("out of range"),
              std::string::npos);
    EXPECT_NE(usage_error([] { expand_values(kTasks, "10,,20"); }).find("empty value"),
              std::string::npos);
    EXPECT_NE(usage_error([] { expand_values(kOffload, "inline:pool"); }).find("not a range"),
              std::string::npos);
    EXPECT_NE(usage_error([] { expand_values(kTasks, "1:1000000"); }).find("more than 10000"),
              std::string::npos);
}

TEST(SplitParamArg, NeedsNameAndValue) {
    EXPECT_EQ(split_param_arg("tasks=1,2").key, "tasks");
    EXPECT_EQ(split_param_arg("tasks=1,2").text, "1,2");
    for (const char* bad : {"tasks", "=5", "tasks="})
        EXPECT_NE(usage_error([&] { split_param_arg(bad); }).find("expected name=value"),
                  std::string::npos)
            << bad;
}

TEST(Selection, NamesAndAll) {
    EXPECT_EQ(select_backends("all").size(), backends().size());
    EXPECT_EQ(select_backends("async,sync").size(), 2u);
    EXPECT_EQ(select_backends("sync,sync").size(), 1u);
    EXPECT_EQ(
        usage_error([] { select_backends("asink"); }),
        "unknown backend 'asink': did you mean 'async'? valid are sync, threads, async, async-mt, "
        "pool, tbb, or all");
    EXPECT_NE(usage_error([] { select_backends("sync,"); }).find("empty backend name"),
              std::string::npos);
    EXPECT_NE(usage_error([] {
                  select_workloads("slep");
              }).find("unknown workload 'slep': did you mean 'sleep'? valid are"),
              std::string::npos);
}

TEST(Matrix, ExpandsWorkloadParamsTimesBackendsTimesBackendParams) {
    const auto cells = expand_matrix(select_backends("sync,async-mt"), select_workloads("sleep"),
                                     {{"tasks", "10,100"}, {"threads", "1,2"}, {"ms", "5"}});
    // 2 task counts x (sync + async-mt with 2 thread counts).
    ASSERT_EQ(cells.size(), 6u);
    EXPECT_EQ(cells[0].backend->name(), "sync");
    EXPECT_TRUE(cells[0].backend_params.empty());
    EXPECT_EQ(cells[0].workload_params.at("tasks"), ParamValue{std::int64_t{10}});
    EXPECT_EQ(cells[0].workload_params.at("ms"), ParamValue{std::int64_t{5}});
    EXPECT_EQ(cells[0].workload_params.at("concurrency"), ParamValue{std::int64_t{0}});
    EXPECT_EQ(cells[1].backend->name(), "async-mt");
    EXPECT_EQ(cells[1].backend_params.at("threads"), ParamValue{std::int64_t{1}});
    EXPECT_EQ(cells[1].backend_params.at("offload"), ParamValue{std::string("inline")});
    EXPECT_EQ(cells[2].backend_params.at("threads"), ParamValue{std::int64_t{2}});
    EXPECT_EQ(cells[3].workload_params.at("tasks"), ParamValue{std::int64_t{100}});
}

TEST(Matrix, RejectsUnknownAndRepeatedParameters) {
    EXPECT_EQ(
        usage_error([] {
            expand_matrix(select_backends("sync"), select_workloads("sleep"), {{"tsks", "1"}});
        }),
        "unknown parameter 'tsks' for the selected backends and workloads: did you mean 'tasks'? "
        "valid are concurrency, ms, tasks");
    // threads belongs to async-mt only: not valid when it is not selected.
    EXPECT_NE(
        usage_error([] {
            expand_matrix(select_backends("sync"), select_workloads("sleep"), {{"threads", "2"}});
        }).find("unknown parameter 'threads'"),
        std::string::npos);
    EXPECT_NE(usage_error([] {
                  expand_matrix(select_backends("sync"), select_workloads("sleep"),
                                {{"tasks", "1"}, {"tasks", "2"}});
              }).find("given twice"),
              std::string::npos);
}

TEST(Matrix, ParamsApplyOnlyWhereDeclared) {
    // work is cpu's, ms is sleep's: each workload takes its own and ignores the other's.
    const auto cells = expand_matrix(select_backends("sync"), select_workloads("cpu,sleep"),
                                     {{"work", "3"}, {"ms", "7"}});
    ASSERT_EQ(cells.size(), 2u);
    EXPECT_EQ(cells[0].workload_params.at("work"), ParamValue{std::int64_t{3}});
    EXPECT_EQ(cells[0].workload_params.count("ms"), 0u);
    EXPECT_EQ(cells[1].workload_params.at("ms"), ParamValue{std::int64_t{7}});
}

TEST(Matrix, ScopedParamsApplyToOneWorkloadOrBackend) {
    const auto cells =
        expand_matrix(select_backends("sync,async-mt"), select_workloads("cpu,sleep"),
                      {split_param_arg("tasks=3"), split_param_arg("sleep.tasks=10,20"),
                       split_param_arg("async-mt.threads=1,2")});
    // cpu: tasks=3 on sync and async-mt x2; sleep: tasks=10,20 on the same three.
    ASSERT_EQ(cells.size(), 3u + 6u);
    EXPECT_EQ(cells[0].workload_params.at("tasks"), ParamValue{std::int64_t{3}});
    EXPECT_EQ(cells[3].workload->name(), "sleep");
    EXPECT_EQ(cells[3].workload_params.at("tasks"), ParamValue{std::int64_t{10}});
    EXPECT_EQ(cells[8].workload_params.at("tasks"), ParamValue{std::int64_t{20}});
    EXPECT_EQ(cells[8].backend_params.at("threads"), ParamValue{std::int64_t{2}});
}

TEST(Matrix, RejectsUnknownScopes) {
    EXPECT_EQ(usage_error([] {
                  expand_matrix(select_backends("sync"), select_workloads("sleep"),
                                {split_param_arg("cpu.tasks=1")});
              }),
              "unknown scope 'cpu' in --param cpu.tasks: valid are the selected workloads and "
              "backends (sleep, sync)");
    EXPECT_EQ(usage_error([] {
                  expand_matrix(select_backends("sync"), select_workloads("sleep"),
                                {split_param_arg("sleep.work=1")});
              }),
              "unknown parameter 'work' for sleep: valid are concurrency, ms, tasks");
    EXPECT_NE(usage_error([] { split_param_arg(".tasks=1"); }).find("scope.name=value"),
              std::string::npos);
    EXPECT_NE(usage_error([] { split_param_arg("sync..tasks=1"); }).find("scope.name=value"),
              std::string::npos);
    EXPECT_EQ(usage_error([] {
                  expand_matrix(select_backends("sync"), select_workloads("cpu,sleep"),
                                {split_param_arg("cpu.sleep.tasks=1")});
              }),
              "--param cpu.sleep.tasks names cpu and sleep together, which never meet: give at "
              "most one workload and one backend as scope");
}

TEST(Matrix, BackendScopedWorkloadParams) {
    // sync gets small sizes of sleep only; everything else the full list.
    const auto cells =
        expand_matrix(select_backends("sync,async"), select_workloads("cpu,sleep"),
                      {split_param_arg("cpu.tasks=2"), split_param_arg("sleep.tasks=10,1000"),
                       split_param_arg("sync.sleep.tasks=10")});
    std::vector<std::string> got;
    for (const auto& c : cells)
        got.push_back(c.workload->name() + ":" + to_string(c.workload_params.at("tasks")) + ":" +
                      c.backend->name());
    EXPECT_EQ(got, (std::vector<std::string>{"cpu:2:sync", "cpu:2:async", "sleep:10:sync",
                                             "sleep:10:async", "sleep:1000:async"}));
}

TEST(Matrix, DescribesNonDefaultValues) {
    const auto cells =
        expand_matrix(select_backends("sync"), select_workloads("sleep"), {{"tasks", "5"}});
    EXPECT_EQ(describe_non_default(cells[0].workload->params(), cells[0].workload_params),
              "tasks=5");
}

TEST(Matrix, PlansAHundredThousandCellsInOrder) {
    // Planning is linear (it was quadratic: 40,000 cells took minutes); its time is measured
    // by `make bench-harness`.
    const auto cells = expand_matrix(select_backends("sync"), select_workloads("sleep"),
                                     {{"tasks", "1:1000"}, {"ms", "0:99"}});
    ASSERT_EQ(cells.size(), 100'000u);
    // The first key varies slowest; every cell appears once.
    EXPECT_EQ(cells[0].workload_params.at("tasks"), ParamValue{std::int64_t{1}});
    EXPECT_EQ(cells[1].workload_params.at("ms"), ParamValue{std::int64_t{1}});
    EXPECT_EQ(cells[100].workload_params.at("tasks"), ParamValue{std::int64_t{2}});
    EXPECT_EQ(cells.back().workload_params.at("tasks"), ParamValue{std::int64_t{1000}});
}

TEST(Matrix, CountsCellsFromTheListSizesBeforeBuildingThem) {
    // Building this one took gigabytes before the cap was checked.
    const std::string big = usage_error([] {
        expand_matrix(select_backends("sync"), select_workloads("sleep"),
                      {{"tasks", "1:10000"}, {"ms", "1:10000"}, {"concurrency", "1:10000"}});
    });
    EXPECT_EQ(big,
              "the matrix has 1000000000000 cells (more than 100000): narrow the "
              "parameter lists");
    // Past the cap only in total, over several (workload, backend) pairs.
    const std::string sum = usage_error([] {
        expand_matrix(select_backends("sync,async"), select_workloads("sleep"),
                      {{"tasks", "1:500"}, {"ms", "0:100"}});
    });
    EXPECT_EQ(sum, "the matrix has 101000 cells (more than 100000): narrow the parameter lists");
    EXPECT_EQ(expand_matrix(select_backends("sync"), select_workloads("sleep"),
                            {{"tasks", "1:1000"}, {"ms", "1:100"}})
                  .size(),
              100'000u);  // at the cap exactly: allowed
}

TEST(ParamValue, SpecialValuesOutsideTheRangeAreValidAndListed) {
    ParamSpec stack = ParamSpec::integer("stack_kb", 0, 16, 1024, "");
    stack.special = {0};
    EXPECT_EQ(parse_param_value(stack, "0"), ParamValue{std::int64_t{0}});
    EXPECT_EQ(parse_param_value(stack, "16"), ParamValue{std::int64_t{16}});
    EXPECT_THROW(parse_param_value(stack, "15"), std::invalid_argument);
    EXPECT_EQ(stack.range_text(), "0 or 16..1024");
    EXPECT_EQ(ints(expand_values(stack, "0,16:48:+16")),
              (std::vector<std::int64_t>{0, 16, 32, 48}));
    EXPECT_NE(usage_error([&] {
                  expand_values(stack, "0:32:+8");
              }).find("stack_kb=8 (from range '0:32:+8') is out of range: valid is 0 or 16..1024"),
              std::string::npos);
}

TEST(ParamValue, TheThreadsBackendDeclaresTheSystemsStackMinimum) {
    const BackendDef* threads = find_backend("threads");
    ASSERT_NE(threads, nullptr);
    const ParamSpec& stack = threads->params().at(0);
    ASSERT_EQ(stack.name, "stack_kb");
    EXPECT_EQ(stack.min, static_cast<std::int64_t>((PTHREAD_STACK_MIN + 1023) / 1024));
    EXPECT_EQ(stack.special, (std::vector<std::int64_t>{0}));
}

TEST(ParseDecimal, OneIntegerGrammar) {
    EXPECT_EQ(parse_decimal("42"), 42);
    EXPECT_EQ(parse_decimal("-7"), -7);
    for (const char* bad : {"", " 2", "2 ", "+2", "0x3", "3k", "1e3", "99999999999999999999"})
        EXPECT_EQ(parse_decimal(bad), std::nullopt) << bad;
}

TEST(LiveSummaries, MatchSummarizeCellsOverTheSameRecords) {
    const auto record = [](const std::string& backend, int tasks, int rep, double wall) {
        return nlohmann::json{
            {"backend", backend}, {"workload", "sleep"}, {"params", {{"tasks", tasks}}},
            {"repetition", rep},  {"status", "ok"},      {"wall_s", wall}};
    };
    // Found in results.jsonl: one run of the async cell, both of sync's.
    RunSet existing;
    existing.records = {record("sync", 1, 0, 1.0), record("async", 1, 0, 0.5),
                        record("sync", 1, 1, 1.2)};
    std::vector<nlohmann::json> all = existing.records;
    TempDirForSummaries dir;
    LiveSummaries live(dir.path, "sync", existing);
    // This process runs the missing async run and a new cell.
    const std::vector<nlohmann::json> async_rest = {record("async", 1, 1, 0.7)};
    const std::vector<nlohmann::json> fresh = {record("sync", 2, 0, 2.0),
                                               record("sync", 2, 1, 2.1)};
    live.add(async_rest);
    live.add(fresh);
    all.insert(all.end(), async_rest.begin(), async_rest.end());
    all.insert(all.end(), fresh.begin(), fresh.end());
    const auto expected = summarize_cells(all, "sync");
    ASSERT_EQ(live.cells().size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(live.cells()[i].key(), expected[i].key());
        EXPECT_EQ(live.cells()[i].walls, expected[i].walls);
        EXPECT_EQ(live.cells()[i].runs, expected[i].runs);
        ASSERT_EQ(live.cells()[i].vs_baseline.has_value(), expected[i].vs_baseline.has_value());
        if (expected[i].vs_baseline) {
            EXPECT_DOUBLE_EQ(live.cells()[i].vs_baseline->value, expected[i].vs_baseline->value);
        }
    }
    live.write();
    EXPECT_EQ(nlohmann::json::parse(std::ifstream(dir.path + "/summary.json")).at("cells").size(),
              3u);
}

}  // namespace
}  // namespace concbench
