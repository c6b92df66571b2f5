#include "run_options.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

#include "matrix.hpp"
#include "result.hpp"
#include "usage_error.hpp"

namespace concbench {

namespace {

/// A bounded integer option, named as the command line and as run.json name it.
struct IntField {
    const char* flag;
    const char* field;
    int RunOptions::*member;
    std::int64_t min, max;
};

constexpr IntField kIntFields[] = {
    {"--repetitions", "repetitions", &RunOptions::repetitions, 1, 1000},
    {"--warmup", "warmup", &RunOptions::warmup, 0, 100},
    {"--server-threads", "server_threads", &RunOptions::server_threads, 1, 1024},
};

// A timeout is kept in whole milliseconds: below one, it would become 0 (no time at all).
constexpr double kMinTimeout = 0.001, kMaxTimeout = 86400;

void check_int(const char* name, std::int64_t v, const IntField& f) {
    if (v < f.min || v > f.max)
        throw UsageError(
            fmt::format("{} {} is out of range: valid is {}..{}", name, v, f.min, f.max));
}

void check_timeout(const char* name, double t) {
    if (!(t >= kMinTimeout && t <= kMaxTimeout))
        throw UsageError(
            fmt::format("{} {} is out of range: valid is a number of seconds from {} (1 ms) to {}",
                        name, t, kMinTimeout, kMaxTimeout));
}

using TypeTest = bool (nlohmann::json::*)() const;

const nlohmann::json& field(const nlohmann::json& j, const char* name, TypeTest is,
                            const char* what) {
    if (!j.contains(name))
        throw UsageError(fmt::format("\"{}\" is missing: it should be {}", name, what));
    const auto& v = j.at(name);
    if (!(v.*is)())
        throw UsageError(fmt::format("\"{}\" is {}: it should be {}", name, v.dump(), what));
    return v;
}

std::string text_field(const nlohmann::json& j, const char* name) {
    return field(j, name, &nlohmann::json::is_string, "a string").get<std::string>();
}

double number_field(const nlohmann::json& j, const char* name) {
    return field(j, name, &nlohmann::json::is_number, "a number").get<double>();
}

}  // namespace

void check_error_rate(double rate) {
    if (!(rate >= 0 && rate <= 1))
        throw UsageError(fmt::format(
            "--max-error-rate {} is out of range: valid is a fraction of 0..1 (0.01 is 1%)", rate));
}

void check_not_blank(const std::string& option, const std::string& value) {
    if (value.find_first_not_of(" \t\n\r\f\v") == std::string::npos)
        throw UsageError(fmt::format("{} is {}: give a {}", option,
                                     value.empty() ? "empty" : "blank",
                                     option == "--baseline" ? "backend name" : "folder"));
}

void check_ranges(const RunOptions& opts) {
    for (const auto& f : kIntFields) check_int(f.flag, opts.*f.member, f);
    check_timeout("--timeout", opts.timeout_s);
    check_error_rate(opts.max_error_rate);
}

void check_baseline_selected(const RunOptions& opts) {
    std::vector<std::string> names;
    for (const auto* b : select_backends(opts.backends)) names.push_back(b->name);
    if (std::find(names.begin(), names.end(), opts.baseline) == names.end())
        throw UsageError(fmt::format(
            "--baseline {} is not one of the selected backends ({}): give one of them, or "
            "add {} to --backend",
            opts.baseline, fmt::join(names, ", "), opts.baseline));
}

nlohmann::json run_json(const RunOptions& o) {
    return {{"schema_version", kSchemaVersion},
            {"backends", o.backends},
            {"workloads", o.workloads},
            {"params", o.params},
            {"repetitions", o.repetitions},
            {"warmup", o.warmup},
            {"timeout_s", o.timeout_s},
            {"server_threads", o.server_threads},
            {"baseline", o.baseline},
            {"server_faults", o.server_faults},
            {"max_error_rate", o.max_error_rate}};
}

RunOptions from_run_json(const nlohmann::json& j, RunOptions o) {
    if (!j.is_object()) throw UsageError("it is not a JSON object");
    o.backends = text_field(j, "backends");
    o.workloads = text_field(j, "workloads");
    const auto& params = field(j, "params", &nlohmann::json::is_array, "a list of strings");
    o.params.clear();
    for (const auto& p : params) {
        if (!p.is_string())
            throw UsageError(
                fmt::format("\"params\" holds {}: it should be a list of strings", p.dump()));
        o.params.push_back(p.get<std::string>());
    }
    for (const auto& f : kIntFields) {
        const auto& v = field(j, f.field, &nlohmann::json::is_number_integer, "an integer");
        // Checked as read, before narrowing: 4294967297 must not become 1.
        const std::int64_t n = v.is_number_unsigned() && v.get<std::uint64_t>() > INT64_MAX
                                   ? INT64_MAX
                                   : v.get<std::int64_t>();
        check_int(fmt::format("\"{}\"", f.field).c_str(), n, f);
        o.*f.member = static_cast<int>(n);
    }
    o.timeout_s = number_field(j, "timeout_s");
    check_timeout("\"timeout_s\"", o.timeout_s);
    o.baseline = text_field(j, "baseline");
    check_not_blank("\"baseline\"", o.baseline);
    // Older run.json files lack these two: they mean what they meant then.
    o.server_faults = j.contains("server_faults") ? text_field(j, "server_faults") : "";
    o.max_error_rate = j.contains("max_error_rate") ? number_field(j, "max_error_rate") : 0.0;
    if (!(o.max_error_rate >= 0 && o.max_error_rate <= 1))
        throw UsageError(
            fmt::format("\"max_error_rate\" {} is out of range: valid is a fraction of 0..1",
                        o.max_error_rate));
    return o;
}

}  // namespace concbench
