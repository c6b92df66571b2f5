#include "summary_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "fields.hpp"
#include "result.hpp"
#include "workload.hpp"

namespace concbench {

using nlohmann::json;

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

/// Per workload, the parameters whose value differs between its cells.
std::map<std::string, std::set<std::string>> varying_params(const std::vector<CellSummary>& cells) {
    std::map<std::string, json> first;
    std::map<std::string, std::set<std::string>> varying;
    for (const auto& c : cells) {
        const auto [it, inserted] = first.emplace(c.workload, c.params);
        if (inserted) continue;
        for (const auto& [k, v] : c.params.items())
            if (!it->second.contains(k) || it->second.at(k) != v) varying[c.workload].insert(k);
    }
    return varying;
}

/// "tasks=100 ms=10": the parameters that vary in this suite or differ from the default.
std::string params_label(const CellSummary& c, const std::set<std::string>& varying) {
    const WorkloadDef* def = find_workload(c.workload);
    const json defaults = def ? to_json(Params(def->params(), {}).values()) : json::object();
    std::vector<std::string> parts;
    for (const auto& [k, v] : c.params.items())
        if (varying.count(k) || !defaults.contains(k) || defaults.at(k) != v)
            parts.push_back(
                fmt::format("{}={}", k, v.is_string() ? v.get<std::string>() : v.dump()));
    return parts.empty() ? "(defaults)" : fmt::format("{}", fmt::join(parts, " "));
}

}  // namespace

std::string format_table(const std::vector<CellSummary>& cells) {
    const std::string baseline = cells.empty() ? "sync" : cells.front().baseline;
    std::vector<std::vector<std::string>> rows = {{"workload", "params", "backend", "runs ok",
                                                   "median wall", "vs " + baseline, "efficiency",
                                                   "peak RSS", "errors", "status"}};
    std::vector<std::string> failures;
    const auto varying = varying_params(cells);
    for (const auto& c : cells) {
        const auto v = varying.find(c.workload);
        const std::string params =
            params_label(c, v == varying.end() ? std::set<std::string>{} : v->second);
        rows.push_back({c.workload, params, c.label(), fmt::format("{}/{}", c.ok, c.runs),
                        format_seconds(c.wall.median),
                        c.vs_baseline ? fmt::format("{:.2f}x", c.vs_baseline->value) : "-",
                        c.efficiency ? fmt::format("{:.0f}%", 100 * *c.efficiency) : "-",
                        c.peak_rss_bytes ? format_bytes(*c.peak_rss_bytes) : "-", errors_text(c),
                        status_text(c)});
        if (c.ok < c.runs)
            failures.push_back(fmt::format("  {} {} [{}]: {} runs not ok; first: {}", c.workload,
                                           params, c.label(), c.runs - c.ok,
                                           capped_error(c.first_error)));
    }

    // The errors column only when some operation failed.
    if (std::all_of(cells.begin(), cells.end(), [](const auto& c) { return c.errors.empty(); })) {
        const auto column =
            std::find(rows.front().begin(), rows.front().end(), "errors") - rows.front().begin();
        for (auto& r : rows) r.erase(r.begin() + column);
    }

    std::vector<std::size_t> width(rows.front().size(), 0);
    for (const auto& r : rows)
        for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
    std::string out;
    for (std::size_t n = 0; n < rows.size(); ++n) {
        for (std::size_t i = 0; i < width.size(); ++i) {
            const bool right = i >= 3 && i <= 7;  // figures right-aligned, text left
            out += right ? fmt::format("{:>{}}", rows[n][i], width[i])
                         : fmt::format("{:<{}}", rows[n][i], width[i]);
            out += i + 1 < width.size() ? "  " : "\n";
        }
        if (n == 0)
            for (std::size_t i = 0; i < width.size(); ++i)
                out += std::string(width[i], '-') + (i + 1 < width.size() ? "  " : "\n");
    }
    if (!failures.empty())
        out += "\nCells with runs that did not succeed:\n" +
               fmt::format("{}\n", fmt::join(failures, "\n"));
    return out;
}

}  // namespace concbench
