#include "compare.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>

#include "results_file.hpp"
#include "stats.hpp"
#include "summary_table.hpp"
#include "usage_error.hpp"

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
        if (b.walls.empty() || n.walls.empty()) {
            row.verdict = "no successful runs to compare";
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

int compare_main(const std::string& base_dir, const std::string& new_dir,
                 std::optional<double> fail_on_regression_pct) {
    for (const auto& d : {base_dir, new_dir})
        if (read_results(d + "/results.jsonl").records.empty())
            throw UsageError(
                fmt::format("{} has no runs in results.jsonl: give two folders "
                            "written by concbench run",
                            d));
    const auto base = summarize_cells(read_results(base_dir + "/results.jsonl").records);
    const auto fresh = summarize_cells(read_results(new_dir + "/results.jsonl").records);
    const auto rows = compare_cells(base, fresh);
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

    int code = 0;
    if (fail_on_regression_pct)
        for (const auto& r : rows)
            if (r.verdict == "slower" && (r.ratio - 1) * 100 > *fail_on_regression_pct) {
                fmt::print(stderr,
                           "concbench: regression: {} {} on {} is {:.1f}% slower (p={:.4f})\n",
                           r.workload, r.params, r.backend, (r.ratio - 1) * 100, r.p);
                code = 1;
            }
    return code;
}

}  // namespace concbench
