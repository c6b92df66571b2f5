// compare: verdicts from a Mann-Whitney U test, and its exit codes (1 only for a regression
// past the gate, 2 for input and I/O errors).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "compare_command.hpp"
#include "process.hpp"
#include "records.hpp"
#include "summary.hpp"

namespace concbench {
namespace {

using nlohmann::json;
using namespace testing_support;
using namespace test_records;
namespace fs = std::filesystem;

/// Two folders a/ and b/ under `tmp` with these records.
std::pair<std::string, std::string> two_dirs(const TempDir& tmp, const std::vector<json>& a,
                                             const std::vector<json>& b) {
    fs::create_directories(tmp.path() / "a");
    fs::create_directories(tmp.path() / "b");
    write_jsonl(tmp.path() / "a" / "results.jsonl", a);
    write_jsonl(tmp.path() / "b" / "results.jsonl", b);
    return {(tmp.path() / "a").string(), (tmp.path() / "b").string()};
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
    EXPECT_NE(o.err.find("succeeded in base and has no successful run in new"), std::string::npos)
        << o.err;
    EXPECT_EQ(run_program({exe, "compare", a, b}).code, 0);  // no gate asked for
}

TEST(Compare, NoMatchingCellIsAnInputError) {
    TempDir tmp;
    const auto [a, b] =
        two_dirs(tmp, {record("async", 100, 0, "ok", 0.1)}, {record("sync", 100, 0, "ok", 0.1)});
    const Output o =
        run_program({program_from_env("CONCBENCH"), "compare", a, b, "--fail-on-regression", "5"});
    EXPECT_EQ(o.code, 2);
    EXPECT_NE(o.err.find("matches one of"), std::string::npos) << o.err;
    EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
}

TEST(Compare, AnIoErrorIsNotARegression) {
    TempDir tmp;
    const auto [a, b] =
        two_dirs(tmp, {record("async", 100, 0, "ok", 0.1)}, {record("async", 100, 0, "ok", 0.1)});
    fs::create_directories(fs::path(b) / "compare.md");  // the rename onto it fails
    const Output o =
        run_program({program_from_env("CONCBENCH"), "compare", a, b, "--fail-on-regression", "5"});
    EXPECT_EQ(o.code, 2) << o.err;
    EXPECT_NE(o.err.find("compare.md"), std::string::npos) << o.err;
}

}  // namespace
}  // namespace concbench
