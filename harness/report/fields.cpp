#include "fields.hpp"

#include <fmt/format.h>

#include "status.hpp"
#include "units.hpp"

namespace concbench {

using nlohmann::json;

namespace {

json opt(const std::optional<double>& v) {
    return v ? json(*v) : json(nullptr);
}
json num(double v) {
    return std::isnan(v) ? json(nullptr) : json(v);
}

std::string interval_text(double low, double high, const auto& fmt_one) {
    return fmt::format("{}–{}", fmt_one(low), fmt_one(high));
}

std::string ratio_text(double v) {
    return fmt::format("{:.2f}×", v);
}

}  // namespace

std::string errors_text(const CellSummary& s) {
    if (s.errors.empty()) return "-";
    std::vector<std::string> kinds;
    for (const auto& [kind, n] : s.errors) kinds.push_back(fmt::format("{} {}", kind, n));
    return fmt::format("{:.2f}% ({})", 100 * s.error_rate.value_or(0), fmt::join(kinds, ", "));
}

std::string capped_error(const std::string& error, std::size_t keep) {
    if (error.size() <= keep) return error;
    std::size_t cut = keep;
    while (cut > 0 && (static_cast<unsigned char>(error[cut]) & 0xC0) == 0x80) --cut;
    return fmt::format("{}... ({} more bytes in results.jsonl)", error.substr(0, cut),
                       error.size() - cut);
}

std::string status_text(const CellSummary& s) {
    if (s.ok == s.runs && s.runs > 0) return to_string(Status::ok);
    std::vector<std::string> parts;
    for (const auto& [status, n] : s.statuses) parts.push_back(fmt::format("{} {}", n, status));
    return fmt::format("{}", fmt::join(parts, ", "));
}

namespace {

using S = const CellSummary&;

/// The cell: what ran and how many runs.
std::vector<Field> identity_fields() {
    return {
        {"group", [](S s) { return json(s.group_key()); }, "", {}},
        {"workload", [](S s) { return json(s.workload); }, "", {}},
        {"params", [](S s) { return s.params; }, "", {}},
        {"backend", [](S s) { return json(s.backend); }, "", {}},
        {"label", [](S s) { return json(s.label()); }, "backend", [](S s) { return s.label(); },
         false, Column{"backend"}},
        {"backend_params", [](S s) { return s.backend_params; }, "", {}},
        {"runs", [](S s) { return json(s.runs); }, "", {}},
        {"ok_runs",
         [](S s) { return json(s.ok); },
         "",
         {},
         false,
         Column{"runs ok", [](S s) { return fmt::format("{}/{}", s.ok, s.runs); }, true}},
    };
}

/// Wall time, throughput and the ratio to the baseline.
std::vector<Field> time_fields() {
    return {
        {"median_wall_s", [](S s) { return num(s.wall.median); }, "median wall (95% CI)",
         [](S s) {
             if (s.ok == 0) return std::string("-");
             return fmt::format(
                 "{} ({})", format_seconds(s.wall.median),
                 interval_text(s.wall.median_ci.low, s.wall.median_ci.high, format_seconds));
         },
         false, Column{"median wall", [](S s) { return format_seconds(s.wall.median); }, true}},
        {"ci_low_s", [](S s) { return num(s.wall.median_ci.low); }, "", {}},
        {"ci_high_s", [](S s) { return num(s.wall.median_ci.high); }, "", {}},
        {"mean_wall_s", [](S s) { return num(s.wall.mean); }, "", {}},
        {"min_wall_s", [](S s) { return num(s.wall.min); }, "", {}},
        {"max_wall_s", [](S s) { return num(s.wall.max); }, "", {}},
        {"stddev_wall_s", [](S s) { return num(s.wall.stddev); }, "", {}},
        {"cv", [](S s) { return num(s.wall.cv); }, "CV",
         [](S s) { return s.ok > 1 ? fmt::format("{:.1f}%", 100 * s.wall.cv) : std::string("-"); }},
        {"ops_per_s", [](S s) { return opt(s.ops_per_s); }, "ops/s",
         [](S s) { return s.ops_per_s ? fmt::format("{:.0f}", *s.ops_per_s) : std::string("-"); }},
        {"baseline", [](S s) { return json(s.baseline); }, "", {}},
        {"ratio_vs_baseline",
         [](S s) { return s.vs_baseline ? num(s.vs_baseline->value) : json(nullptr); },
         "vs baseline (95% CI)",
         [](S s) {
             if (!s.vs_baseline) return std::string("-");
             return fmt::format(
                 "{} ({})", ratio_text(s.vs_baseline->value),
                 interval_text(s.vs_baseline->ci.low, s.vs_baseline->ci.high, ratio_text));
         },
         false,
         Column{"vs {baseline}",
                [](S s) {
                    return s.vs_baseline ? fmt::format("{:.2f}x", s.vs_baseline->value)
                                         : std::string("-");
                },
                true}},
        {"ratio_ci_low",
         [](S s) { return s.vs_baseline ? num(s.vs_baseline->ci.low) : json(nullptr); },
         "",
         {}},
        {"ratio_ci_high",
         [](S s) { return s.vs_baseline ? num(s.vs_baseline->ci.high) : json(nullptr); },
         "",
         {}},
        {"ideal_wall_s", [](S s) { return opt(s.ideal_wall_s); }, "", {}},
        {"efficiency", [](S s) { return opt(s.efficiency); }, "efficiency",
         [](S s) {
             return s.efficiency ? fmt::format("{:.0f}%", 100 * *s.efficiency) : std::string("-");
         },
         false, Column{"efficiency", {}, true}},
    };
}

/// Resources, latency, errors and statuses.
std::vector<Field> outcome_fields() {
    return {
        {"peak_rss_bytes", [](S s) { return opt(s.peak_rss_bytes); }, "peak RSS",
         [](S s) { return s.peak_rss_bytes ? format_bytes(*s.peak_rss_bytes) : std::string("-"); },
         false, Column{"peak RSS", {}, true}},
        {"user_s", [](S s) { return opt(s.user_s); }, "", {}},
        {"sys_s", [](S s) { return opt(s.sys_s); }, "", {}},
        {"cpu_s",
         [](S s) { return s.user_s && s.sys_s ? json(*s.user_s + *s.sys_s) : json(nullptr); },
         "CPU (user+sys)",
         [](S s) {
             return s.user_s && s.sys_s ? format_seconds(*s.user_s + *s.sys_s) : std::string("-");
         }},
        {"p50_s", [](S s) { return opt(s.p50); }, "", {}},
        {"p90_s", [](S s) { return opt(s.p90); }, "", {}},
        {"p99_s", [](S s) { return opt(s.p99); }, "", {}},
        {"errors", [](S s) { return json(s.errors); }, "", {}},
        {"error_rate", [](S s) { return opt(s.error_rate); }, "errors",
         [](S s) { return errors_text(s); }, true, Column{"errors"}},
        {"status", [](S s) { return json(status_text(s)); }, "status",
         [](S s) { return status_text(s); }, false, Column{"status"}},
        {"statuses", [](S s) { return json(s.statuses); }, "", {}},
        {"first_error", [](S s) { return json(capped_error(s.first_error)); }, "", {}},
        {"warnings", [](S s) { return json(s.warnings); }, "", {}},
        {"wall_samples_s", [](S s) { return json(s.walls); }, "", {}},
    };
}

}  // namespace

const std::vector<Field>& summary_fields() {
    static const std::vector<Field> fields = [] {
        std::vector<Field> all = identity_fields();
        for (auto&& part : {time_fields(), outcome_fields()})
            all.insert(all.end(), part.begin(), part.end());
        return all;
    }();
    return fields;
}

}  // namespace concbench
