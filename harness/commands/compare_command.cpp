#include "compare_command.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>

#include "command.hpp"
#include "results_file.hpp"
#include "stats.hpp"
#include "summary_table.hpp"
#include "usage_error.hpp"
#include "validators.hpp"

namespace concbench {

std::vector<ComparisonRow> compare_cells(const std::vector<CellSummary>& base,
                                         const std::vector<CellSummary>& fresh, double alpha) {
    std::map<std::string, const CellSummary*> by_key;
    for (const auto& c : base) by_key[c.key()] = &c;
    std::vector<ComparisonRow> rows;
    std::map<std::string, bool> matched;
    for (const auto& n : fresh) {
        ComparisonRow row{n.workload, n.params_text(), n.label()};
        auto it = by_key.find(n.key());
        if (it == by_key.end()) {
            row.verdict = "only in new";
            row.new_median = n.wall.median;
            rows.push_back(row);
            continue;
        }
        matched[n.key()] = true;
        const CellSummary& b = *it->second;
        row.base_median = b.wall.median;
        row.new_median = n.wall.median;
        if (!b.walls.empty() && n.walls.empty()) {
            row.verdict = kNoSuccessInNew;  // a build whose every run crashed is a regression
        } else if (b.walls.empty()) {
            row.verdict = "no successful run in base";
        } else {
            row.ratio = n.wall.median / b.wall.median;
            row.p = stats::mann_whitney_p(b.walls, n.walls);
            row.verdict = row.p >= alpha  ? "no significant change"
                          : row.ratio < 1 ? "faster"
                                          : "slower";
        }
        rows.push_back(row);
    }
    for (const auto& b : base)
        if (!matched.count(b.key())) {
            ComparisonRow row{b.workload, b.params_text(), b.label()};
            row.base_median = b.wall.median;
            row.verdict = "only in base";
            rows.push_back(row);
        }
    return rows;
}

Block comparison_table(const std::vector<ComparisonRow>& rows) {
    Block t{Block::Kind::table};
    t.items = {"workload",   "params",   "backend",          "base median",
               "new median", "new/base", "p (Mann-Whitney)", "verdict"};
    for (const auto& r : rows)
        t.rows.push_back({r.workload, r.params, r.backend, format_seconds(r.base_median),
                          format_seconds(r.new_median),
                          std::isnan(r.ratio) ? "-" : fmt::format("{:.3f}", r.ratio),
                          std::isnan(r.p) ? "-" : fmt::format("{:.4f}", r.p), r.verdict});
    return t;
}

namespace {

RunSet read_dir(const std::string& dir) {
    RunSet set = read_results(dir + "/results.jsonl");
    for (const auto& p : set.problems) fmt::print(stderr, "concbench: {}/{}\n", dir, p);
    if (set.records.empty())
        throw UsageError(
            fmt::format("{} has no runs in results.jsonl: give two folders "
                        "written by concbench run",
                        dir));
    return set;
}

/// The rows the gate fails on, each told on stderr.
bool regressions(const std::vector<ComparisonRow>& rows, double pct) {
    bool found = false;
    for (const auto& r : rows) {
        if (r.verdict == kNoSuccessInNew) {
            fmt::print(stderr,
                       "concbench: regression: {} {} on {} succeeded in base and has no "
                       "successful run in new\n",
                       r.workload, r.params, r.backend);
            found = true;
        } else if (r.verdict == "slower" && (r.ratio - 1) * 100 > pct) {
            fmt::print(stderr, "concbench: regression: {} {} on {} is {:.1f}% slower (p={:.4f})\n",
                       r.workload, r.params, r.backend, (r.ratio - 1) * 100, r.p);
            found = true;
        }
    }
    return found;
}

int compare_dirs(const std::string& base_dir, const std::string& new_dir,
                 std::optional<double> fail_on_regression_pct) {
    const auto base = summarize_cells(read_dir(base_dir).records);
    const auto fresh = summarize_cells(read_dir(new_dir).records);
    const auto rows = compare_cells(base, fresh);
    if (std::none_of(rows.begin(), rows.end(), [](const ComparisonRow& r) {
            return r.verdict != "only in new" && r.verdict != "only in base";
        }))
        throw UsageError(fmt::format(
            "no cell of {} matches one of {} (same workload, parameters, backend and backend "
            "parameters): nothing to compare",
            new_dir, base_dir));
    Document doc = {{Block::Kind::heading, 1, "concbench compare"},
                    {Block::Kind::paragraph, 0,
                     fmt::format("Base: {}. New: {}. Two-sided Mann-Whitney U test of the wall "
                                 "times, alpha = 0.05; with 3 runs a side no difference can reach "
                                 "it, so use 5 or more.",
                                 base_dir, new_dir)},
                    comparison_table(rows)};
    const std::string md = to_markdown(doc);
    fmt::print("{}", md);
    write_file_atomically(new_dir + "/compare.md", md);
    return fail_on_regression_pct && regressions(rows, *fail_on_regression_pct) ? kExitRegression
                                                                                : 0;
}

}  // namespace

int compare_folders(const std::string& base_dir, const std::string& new_dir,
                    std::optional<double> fail_on_regression_pct) {
    // Exit 1 means "regression found" and nothing else: a file that cannot be read or
    // written is an input error (2), so a gate never mistakes one for the other.
    try {
        return compare_dirs(base_dir, new_dir, fail_on_regression_pct);
    } catch (const UsageError&) {
        throw;
    } catch (const std::exception& e) {
        throw UsageError(e.what());
    }
}

namespace {
struct CompareArgs {
    std::string base_dir, new_dir;
    std::optional<double> fail_pct;
};
}  // namespace

CommandMain add_compare_command(CLI::App& app) {
    auto a = std::make_shared<CompareArgs>();
    auto* compare = app.add_subcommand("compare", "compare two result folders cell by cell");
    compare->add_option("base", a->base_dir, "the earlier result folder")->required();
    compare->add_option("new", a->new_dir, "the later result folder")->required();
    compare
        ->add_option("--fail-on-regression", a->fail_pct,
                     "exit 1 if a cell is significantly slower by more than PCT percent")
        ->check(number());
    return [a](const std::string&) {
        if (a->fail_pct && !(*a->fail_pct >= 0))
            throw UsageError(fmt::format(
                "--fail-on-regression {} is out of range: give a percentage of 0 or more",
                *a->fail_pct));
        return compare_folders(a->base_dir, a->new_dir, a->fail_pct);
    };
}

}  // namespace concbench
