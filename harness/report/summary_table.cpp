#include "summary_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "fields.hpp"
#include "result.hpp"

namespace concbench {

using nlohmann::json;

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
    // The defaults as recorded; an older line does not say, so every parameter is shown.
    const json defaults = c.param_defaults.is_object() ? c.param_defaults : json::object();
    std::vector<std::string> parts;
    for (const auto& [k, v] : c.params.items())
        if (varying.count(k) || !defaults.contains(k) || defaults.at(k) != v)
            parts.push_back(
                fmt::format("{}={}", k, v.is_string() ? v.get<std::string>() : v.dump()));
    return parts.empty() ? "(defaults)" : fmt::format("{}", fmt::join(parts, " "));
}

/// The terminal table's columns after workload and params: the fields that have one.
std::vector<const Field*> table_columns(const std::vector<CellSummary>& cells) {
    std::vector<const Field*> columns;
    for (const auto& f : summary_fields()) {
        if (!f.column) continue;
        const auto empty = [&f](const CellSummary& c) { return f.text(c) == "-"; };
        if (f.hide_when_empty && std::all_of(cells.begin(), cells.end(), empty)) continue;
        columns.push_back(&f);
    }
    return columns;
}

/// Rows padded to their column's width, figures right-aligned, a rule under the header.
std::string aligned(const std::vector<std::vector<std::string>>& rows,
                    const std::vector<bool>& right) {
    std::vector<std::size_t> width(rows.front().size(), 0);
    for (const auto& r : rows)
        for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
    std::string out;
    for (std::size_t n = 0; n < rows.size(); ++n) {
        for (std::size_t i = 0; i < width.size(); ++i) {
            out += right[i] ? fmt::format("{:>{}}", rows[n][i], width[i])
                            : fmt::format("{:<{}}", rows[n][i], width[i]);
            out += i + 1 < width.size() ? "  " : "\n";
        }
        if (n == 0)
            for (std::size_t i = 0; i < width.size(); ++i)
                out += std::string(width[i], '-') + (i + 1 < width.size() ? "  " : "\n");
    }
    return out;
}

}  // namespace

std::string format_table(const std::vector<CellSummary>& cells) {
    const std::string baseline = cells.empty() ? "sync" : cells.front().baseline;
    const auto columns = table_columns(cells);
    std::vector<std::vector<std::string>> rows = {{"workload", "params"}};
    std::vector<bool> right = {false, false};
    for (const auto* f : columns) {
        rows.front().push_back(
            fmt::format(fmt::runtime(f->column->header), fmt::arg("baseline", baseline)));
        right.push_back(f->column->right);
    }
    std::vector<std::string> failures;
    const auto varying = varying_params(cells);
    for (const auto& c : cells) {
        const auto v = varying.find(c.workload);
        const std::string params =
            params_label(c, v == varying.end() ? std::set<std::string>{} : v->second);
        std::vector<std::string> row = {c.workload, params};
        for (const auto* f : columns)
            row.push_back(f->column->text ? f->column->text(c) : f->text(c));
        rows.push_back(std::move(row));
        if (c.ok < c.runs)
            failures.push_back(fmt::format("  {} {} [{}]: {} runs not ok; first: {}", c.workload,
                                           params, c.label(), c.runs - c.ok,
                                           capped_error(c.first_error)));
    }
    std::string out = aligned(rows, right);
    if (!failures.empty())
        out += "\nCells with runs that did not succeed:\n" +
               fmt::format("{}\n", fmt::join(failures, "\n"));
    return out;
}

}  // namespace concbench
