#include "summary_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "stats.hpp"

namespace concbench {

std::string format_seconds(double s) {
    if (std::isnan(s)) return "-";
    if (s < 1e-3) return fmt::format("{:.1f} us", s * 1e6);
    if (s < 1.0) return fmt::format("{:.1f} ms", s * 1e3);
    return fmt::format("{:.3f} s", s);
}

std::string format_bytes(double bytes) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (bytes >= 1024.0 && u < 4) {
        bytes /= 1024.0;
        ++u;
    }
    return u == 0 ? fmt::format("{:.0f} B", bytes) : fmt::format("{:.1f} {}", bytes, units[u]);
}

namespace {

struct Row {
    std::vector<std::string> cols;
};

double median_wall(const CellRuns& c) {
    std::vector<double> walls;
    for (const auto& r : c.runs)
        if (r.m.status == "ok") walls.push_back(r.m.wall_s);
    return stats::median(std::move(walls));
}

std::string status_of(const CellRuns& c) {
    std::map<std::string, int> counts;
    const RunRecord* first_bad = nullptr;
    for (const auto& r : c.runs) {
        ++counts[r.m.status];
        if (r.m.status != "ok" && !first_bad) first_bad = &r;
    }
    if (!first_bad) return "ok";
    std::vector<std::string> parts;
    for (const auto& [status, n] : counts) parts.push_back(fmt::format("{} {}", n, status));
    return fmt::format("{}", fmt::join(parts, ", "));
}

/// Per workload, the parameters whose value differs between its cells.
std::map<std::string, std::set<std::string>> varying_params(const std::vector<CellRuns>& cells) {
    std::map<std::string, std::map<std::string, ParamValue>> first;
    std::map<std::string, std::set<std::string>> varying;
    for (const auto& c : cells) {
        const auto [it, inserted] = first.emplace(c.cell.workload->name(), c.cell.workload_params);
        if (inserted) continue;
        for (const auto& [k, v] : c.cell.workload_params)
            if (it->second.at(k) != v) varying[c.cell.workload->name()].insert(k);
    }
    return varying;
}

/// "tasks=100 ms=10": the parameters that vary in this suite or differ from the default.
std::string params_label(const Cell& cell, const std::set<std::string>& varying) {
    const auto defaults = Params(cell.workload->params(), {}).values();
    std::vector<std::string> parts;
    for (const auto& s : cell.workload->params()) {
        const ParamValue& v = cell.workload_params.at(s.name);
        if (varying.count(s.name) || v != defaults.at(s.name))
            parts.push_back(fmt::format("{}={}", s.name, to_string(v)));
    }
    return parts.empty() ? "(defaults)" : fmt::format("{}", fmt::join(parts, " "));
}

std::string key_of(const Cell& cell) {
    return cell.workload->name() + "|" + to_json(cell.workload_params).dump();
}

}  // namespace

std::string format_table(const std::vector<CellRuns>& cells) {
    std::map<std::string, double> sync_median;
    for (const auto& c : cells)
        if (c.cell.backend->name == "sync") sync_median[key_of(c.cell)] = median_wall(c);

    std::vector<Row> rows;
    rows.push_back({{"workload", "params", "backend", "runs ok", "median wall", "vs sync",
                     "efficiency", "peak RSS", "status"}});
    std::vector<std::string> failures;
    const auto varying = varying_params(cells);
    for (const auto& c : cells) {
        const double med = median_wall(c);
        std::size_t ok = 0;
        std::vector<double> ideals;
        double peak = 0;
        for (const auto& r : c.runs) {
            if (r.m.status == "ok") {
                ++ok;
                if (r.m.ideal_wall_s) ideals.push_back(*r.m.ideal_wall_s);
            }
            peak = std::max(peak, static_cast<double>(r.peak_rss_bytes));
        }
        std::string vs = "-";
        if (auto it = sync_median.find(key_of(c.cell));
            it != sync_median.end() && !std::isnan(it->second) && !std::isnan(med))
            vs = fmt::format("{:.2f}x", it->second / med);
        const double ideal = stats::median(ideals);
        const std::string eff = std::isnan(ideal) || std::isnan(med)
                                    ? "-"
                                    : fmt::format("{:.0f}%", 100.0 * ideal / med);
        std::string backend = c.cell.backend->name;
        if (auto bp = describe_non_default(c.cell.backend->params, c.cell.backend_params);
            !bp.empty())
            backend += " " + bp;
        const std::string params = params_label(c.cell, varying.count(c.cell.workload->name())
                                                            ? varying.at(c.cell.workload->name())
                                                            : std::set<std::string>{});
        rows.push_back({{c.cell.workload->name(), params, backend,
                         fmt::format("{}/{}", ok, c.runs.size()), format_seconds(med), vs, eff,
                         c.runs.empty() ? "-" : format_bytes(peak), status_of(c)}});
        for (const auto& r : c.runs)
            if (r.m.status != "ok")
                failures.push_back(fmt::format("  {} {} [{}] rep {}: {}: {}",
                                               c.cell.workload->name(), params, backend,
                                               r.repetition, r.m.status, r.m.error));
    }

    std::vector<std::size_t> width(rows.front().cols.size(), 0);
    for (const auto& r : rows)
        for (std::size_t i = 0; i < r.cols.size(); ++i)
            width[i] = std::max(width[i], r.cols[i].size());
    std::string out;
    for (std::size_t n = 0; n < rows.size(); ++n) {
        for (std::size_t i = 0; i < width.size(); ++i) {
            // Text columns left-aligned, figures right-aligned.
            const bool right = i >= 3 && i <= 7;
            out += right ? fmt::format("{:>{}}", rows[n].cols[i], width[i])
                         : fmt::format("{:<{}}", rows[n].cols[i], width[i]);
            out += i + 1 < width.size() ? "  " : "\n";
        }
        if (n == 0) {
            for (std::size_t i = 0; i < width.size(); ++i)
                out += std::string(width[i], '-') + (i + 1 < width.size() ? "  " : "\n");
        }
    }
    if (!failures.empty()) {
        out += "\nRuns that did not succeed:\n";
        for (const auto& f : failures) out += f + "\n";
    }
    return out;
}

}  // namespace concbench
