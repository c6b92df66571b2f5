// results.jsonl read back: lines that break the contract skipped with their reason, files
// that are not regular refused, and a failed append that says how to continue.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "process.hpp"
#include "records.hpp"
#include "report.hpp"
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

TEST(Results, MistypedLinesAreSkippedWithTheirReason) {
    const json good = record("sync", 100, 0, "ok", 1.0);
    const std::vector<std::pair<json, std::string>> bad = {
        {with(good, "backend", 7), "\"backend\" is an integer, not a string"},
        {with(good, "status", nullptr), "\"status\" is a null, not a string"},
        {with(record("sync", 100, 0, "failed", 0), "error", 5),
         "\"error\" is an integer, not a string"},
        {[&] {
             json r = good;
             r.erase("wall_s");
             return r;
         }(),
         "an ok run with no \"wall_s\""},
        {with(good, "schema_version", 2), "schema_version 2, but this build reads version 1"},
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
    const Output o = run_program({program_from_env("CONCBENCH"), "report", tmp.path().string()});
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

}  // namespace
}  // namespace concbench
