#include "result.hpp"

namespace concbench {

using nlohmann::json;

namespace {
json or_null(const std::optional<double>& v) {
    return v ? json(*v) : json(nullptr);
}

json latency_json(const std::optional<Latency>& l) {
    if (!l) return nullptr;
    return {{"p50", l->p50}, {"p90", l->p90}, {"p99", l->p99}, {"max", l->max}};
}
}  // namespace

json to_json(const std::map<std::string, ParamValue>& params) {
    json out = json::object();
    for (const auto& [key, value] : params)
        out[key] = std::holds_alternative<std::int64_t>(value) ? json(std::get<std::int64_t>(value))
                                                               : json(std::get<std::string>(value));
    return out;
}

json to_json(const Measurement& m) {
    return {{"status", to_string(m.status)},
            {"error", m.error},
            {"wall_s", m.wall_s},
            {"ops", m.ops},
            {"latency_s", latency_json(m.latency_s)},
            {"ideal_wall_s", or_null(m.ideal_wall_s)},
            {"validated", m.validated},
            {"errors", m.errors},
            {"error_rate", m.error_rate},
            {"max_error_rate", m.max_error_rate},
            {"facts", m.facts}};
}

Measurement measurement_from_json(const json& j) {
    Measurement m;
    const auto status = j.at("status").get<std::string>();
    const std::optional<Status> known = status_from_string(status);
    if (!known)  // a json::exception, like every other malformed field
        throw nlohmann::json::other_error::create(
            501, "unknown status \"" + status + "\": valid are " + status_choices(), &j);
    m.status = *known;
    m.error = j.at("error").get<std::string>();
    m.wall_s = j.at("wall_s").get<double>();
    m.ops = j.at("ops").get<std::uint64_t>();
    if (const auto& l = j.at("latency_s"); !l.is_null())
        m.latency_s = Latency{l.at("p50"), l.at("p90"), l.at("p99"), l.at("max")};
    if (const auto& i = j.at("ideal_wall_s"); !i.is_null()) m.ideal_wall_s = i.get<double>();
    m.validated = j.at("validated").get<bool>();
    m.errors = j.value("errors", decltype(m.errors){});
    m.error_rate = j.value("error_rate", 0.0);
    m.max_error_rate = j.value("max_error_rate", 0.0);
    m.facts = j.value("facts", decltype(m.facts){});
    return m;
}

json to_json(const RunRecord& r) {
    const bool ok = r.m.status == Status::ok;
    json j = {
        {"schema_version", kSchemaVersion},
        {"backend", r.backend},
        {"workload", r.workload},
        {"params", to_json(r.params)},
        {"backend_params", to_json(r.backend_params)},
        {"backend_label", r.backend_label},
        {"param_defaults", to_json(r.param_defaults)},
        {"repetition", r.repetition},
        {"status", to_string(r.m.status)},
        {"wall_s", ok ? json(r.m.wall_s) : json(nullptr)},
        {"user_s", r.user_s},
        {"sys_s", r.sys_s},
        {"peak_rss_bytes", r.peak_rss_bytes},
        {"voluntary_ctx_switches", r.voluntary_ctx_switches},
        {"involuntary_ctx_switches", r.involuntary_ctx_switches},
        {"ops", r.m.ops},
        {"ops_per_s",
         ok && r.m.wall_s > 0 ? json(static_cast<double>(r.m.ops) / r.m.wall_s) : json(nullptr)},
        {"latency_s", latency_json(r.m.latency_s)},
        {"ideal_wall_s", or_null(r.m.ideal_wall_s)},
        {"validated", r.m.validated},
        {"errors", r.m.errors},
        {"error_rate", r.m.error_rate},
        {"max_error_rate", r.m.max_error_rate},
        {"facts", r.m.facts},
    };
    if (!ok) j["error"] = r.m.error;
    return j;
}

}  // namespace concbench
