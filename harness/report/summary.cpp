#include "summary.hpp"

#include <fmt/format.h>

#include "result.hpp"

namespace concbench {

using nlohmann::json;

namespace {

std::string kv_text(const json& obj) {
    std::string out;
    for (const auto& [k, v] : obj.items())
        out += fmt::format("{}{}={}", out.empty() ? "" : " ", k,
                           v.is_string() ? v.get<std::string>() : v.dump());
    return out;
}

std::optional<double> number(const json& r, const char* field) {
    if (!r.contains(field) || !r.at(field).is_number()) return std::nullopt;
    return r.at(field).get<double>();
}

std::optional<double> median_of(const std::vector<json>& runs, auto get) {
    std::vector<double> xs;
    for (const auto& r : runs)
        if (auto v = get(r)) xs.push_back(*v);
    if (xs.empty()) return std::nullopt;
    return stats::median(std::move(xs));
}

}  // namespace

std::string CellSummary::params_text() const {
    return kv_text(params);
}

std::string CellSummary::label() const {
    if (!backend_label.empty()) return backend_label;
    // An older line: what was run, not what this build's backend of that name defaults to.
    return backend_params.empty() ? backend : backend + " " + kv_text(backend_params);
}

CellSummary cell_of(const json& record) {
    CellSummary c;
    c.workload = record.at("workload").get<std::string>();
    c.backend = record.at("backend").get<std::string>();
    c.params = record.at("params");
    c.backend_params = record.value("backend_params", json::object());
    c.backend_label = record.value("backend_label", std::string());
    c.param_defaults = record.value("param_defaults", json());
    c.group = c.workload + "|" + c.params.dump();
    return c;
}

void summarize_runs(CellSummary& s, const std::vector<json>& runs) {
    const CellSummary identity = s;
    s = CellSummary{};  // every statistic from `runs` alone, none left from before
    s.workload = identity.workload;
    s.backend = identity.backend;
    s.params = identity.params;
    s.backend_params = identity.backend_params;
    s.backend_label = identity.backend_label;
    s.param_defaults = identity.param_defaults;
    s.group = identity.group;
    std::vector<json> ok_runs;
    for (const auto& r : runs) {
        const std::string status = r.at("status");
        ++s.runs;
        ++s.statuses[status];
        if (status_from_string(status) == Status::ok && r.at("wall_s").is_number()) {
            ok_runs.push_back(r);
            s.walls.push_back(r.at("wall_s").get<double>());
        } else if (s.first_error.empty()) {
            s.first_error = fmt::format("{}: {}", status, r.value("error", std::string("?")));
        }
        if (const auto e = r.find("errors"); e != r.end() && e->is_object())
            for (const auto& [kind, n] : e->items())
                if (n.is_number_unsigned()) s.errors[kind] += n.get<std::uint64_t>();
    }
    s.error_rate = median_of(runs, [](const json& r) { return number(r, "error_rate"); });
    s.ok = ok_runs.size();
    s.wall = stats::summarize(s.walls);
    s.ops_per_s = median_of(ok_runs, [](const json& r) { return number(r, "ops_per_s"); });
    s.user_s = median_of(ok_runs, [](const json& r) { return number(r, "user_s"); });
    s.sys_s = median_of(ok_runs, [](const json& r) { return number(r, "sys_s"); });
    s.peak_rss_bytes = median_of(runs, [](const json& r) { return number(r, "peak_rss_bytes"); });
    s.ideal_wall_s = median_of(ok_runs, [](const json& r) { return number(r, "ideal_wall_s"); });
    if (s.ideal_wall_s && s.ok > 0 && s.wall.median > 0)
        s.efficiency = *s.ideal_wall_s / s.wall.median;
    for (auto [field, out] : {std::pair{"p50", &s.p50}, {"p90", &s.p90}, {"p99", &s.p99}})
        *out = median_of(ok_runs, [f = field](const json& r) -> std::optional<double> {
            if (!r.contains("latency_s") || !r.at("latency_s").is_object()) return std::nullopt;
            return number(r.at("latency_s"), f);
        });
    if (s.ok > 0 && s.ok < 5)
        s.warnings.push_back(fmt::format("{} repetitions (fewer than 5)", s.ok));
    if (s.ok > 1 && s.wall.cv > 0.05)
        s.warnings.push_back(fmt::format("CV {:.1f}% (above 5%)", 100 * s.wall.cv));
}

void set_ratios(const std::vector<CellSummary*>& group, const std::string& baseline) {
    const CellSummary* base = nullptr;  // the first cell of the baseline backend with a time
    for (const auto* c : group)
        if (!base && c->backend == baseline && !c->walls.empty()) base = c;
    for (auto* s : group) {
        s->baseline = baseline;
        s->vs_baseline.reset();
        if (base && !s->walls.empty())
            s->vs_baseline = stats::ratio_of_medians(base->walls, s->walls);
    }
}

std::vector<CellSummary> summarize_cells(const std::vector<json>& records,
                                         const std::string& baseline) {
    std::vector<CellSummary> cells;
    std::vector<std::vector<json>> runs_of;
    std::map<std::string, std::size_t> index;
    for (const auto& r : records) {
        CellSummary probe = cell_of(r);
        auto [it, fresh] = index.emplace(probe.key(), cells.size());
        if (fresh) {
            cells.push_back(std::move(probe));
            runs_of.emplace_back();
        }
        runs_of[it->second].push_back(r);
    }
    std::map<std::string, std::vector<CellSummary*>> groups;
    for (std::size_t c = 0; c < cells.size(); ++c) {
        summarize_runs(cells[c], runs_of[c]);
        groups[cells[c].group].push_back(&cells[c]);
    }
    for (const auto& [group, members] : groups) set_ratios(members, baseline);
    return cells;
}

}  // namespace concbench
