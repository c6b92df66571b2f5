#include "run_options.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <functional>

#include "http_faults.hpp"
#include "matrix.hpp"
#include "result.hpp"
#include "server_option_error.hpp"
#include "usage_error.hpp"

namespace concbench {

using nlohmann::json;

namespace {

// A timeout is kept in whole milliseconds: below one, it would become 0 (no time at all).
constexpr double kMinTimeout = 0.001, kMaxTimeout = 86400;

void check_int(const std::string& name, std::int64_t v, std::int64_t min, std::int64_t max) {
    if (v < min || v > max)
        throw UsageError(fmt::format("{} {} is out of range: valid is {}..{}", name, v, min, max));
}

void check_timeout(const std::string& name, double t) {
    if (!(t >= kMinTimeout && t <= kMaxTimeout))
        throw UsageError(
            fmt::format("{} {} is out of range: valid is a number of seconds from {} (1 ms) to {}",
                        name, t, kMinTimeout, kMaxTimeout));
}

void check_rate(const std::string& name, double rate) {
    if (!(rate >= 0 && rate <= 1))
        throw UsageError(fmt::format(
            "{} {} is out of range: valid is a fraction of 0..1 (0.01 is 1%)", name, rate));
}

using TypeTest = bool (json::*)() const;

const json& field(const json& j, const char* name, TypeTest is, const char* what) {
    if (!j.contains(name))
        throw UsageError(fmt::format("\"{}\" is missing: it should be {}", name, what));
    const auto& v = j.at(name);
    if (!(v.*is)())
        throw UsageError(fmt::format("\"{}\" is {}: it should be {}", name, v.dump(), what));
    return v;
}

/// One option of a suite: its flag, its run.json field, and how it is written, read back
/// and range-checked. Reading checks as the command line does, so both refuse the same.
struct Option {
    const char* flag;
    const char* name;  // in run.json
    std::function<json(const RunOptions&)> save;
    std::function<void(const json&, RunOptions&)> load;
    std::function<void(const RunOptions&)> check = {};  // of the command line's value
};

std::string quoted(const char* name) {
    return fmt::format("\"{}\"", name);
}

/// required: run.json must hold it; optional: an older run.json without it means the
/// default; not_blank: required, and not empty.
enum class Text { required, optional, not_blank };

Option text(const char* flag, const char* name, std::string RunOptions::*m,
            Text kind = Text::required) {
    return {flag, name, [=](const RunOptions& o) { return json(o.*m); },
            [=](const json& j, RunOptions& o) {
                o.*m = kind == Text::optional && !j.contains(name)
                           ? RunOptions{}.*m
                           : field(j, name, &json::is_string, "a string").get<std::string>();
                if (kind == Text::not_blank) check_not_blank(quoted(name), o.*m);
            }};
}

Option list(const char* flag, const char* name, std::vector<std::string> RunOptions::*m) {
    return {flag, name, [=](const RunOptions& o) { return json(o.*m); },
            [=](const json& j, RunOptions& o) {
                (o.*m).clear();
                for (const auto& p : field(j, name, &json::is_array, "a list of strings")) {
                    if (!p.is_string())
                        throw UsageError(fmt::format(
                            "\"{}\" holds {}: it should be a list of strings", name, p.dump()));
                    (o.*m).push_back(p.get<std::string>());
                }
            }};
}

Option integer(const char* flag, const char* name, int RunOptions::*m, std::int64_t min,
               std::int64_t max) {
    return {flag, name, [=](const RunOptions& o) { return json(o.*m); },
            [=](const json& j, RunOptions& o) {
                const auto& v = field(j, name, &json::is_number_integer, "an integer");
                // Checked as read, before narrowing: 4294967297 must not become 1.
                const std::int64_t n = v.is_number_unsigned() && v.get<std::uint64_t>() > INT64_MAX
                                           ? INT64_MAX
                                           : v.get<std::int64_t>();
                check_int(quoted(name), n, min, max);
                o.*m = static_cast<int>(n);
            },
            [=](const RunOptions& o) { check_int(flag, o.*m, min, max); }};
}

using NumberCheck = void (*)(const std::string& name, double v);

Option number(const char* flag, const char* name, double RunOptions::*m, NumberCheck check,
              bool optional = false) {
    return {flag, name, [=](const RunOptions& o) { return json(o.*m); },
            [=](const json& j, RunOptions& o) {
                o.*m = optional && !j.contains(name)
                           ? RunOptions{}.*m
                           : field(j, name, &json::is_number, "a number").get<double>();
                check(quoted(name), o.*m);
            },
            [=](const RunOptions& o) { check(flag, o.*m); }};
}

/// Every option run.json records, in the order they are read and checked.
const std::vector<Option>& options() {
    static const std::vector<Option> all = {
        text("--backend", "backends", &RunOptions::backends),
        text("--workload", "workloads", &RunOptions::workloads),
        list("--param", "params", &RunOptions::params),
        integer("--repetitions", "repetitions", &RunOptions::repetitions, 1, 1000),
        integer("--warmup", "warmup", &RunOptions::warmup, 0, 100),
        integer("--server-threads", "server_threads", &RunOptions::server_threads, 1, 1024),
        number("--timeout", "timeout_s", &RunOptions::timeout_s, check_timeout),
        text("--baseline", "baseline", &RunOptions::baseline, Text::not_blank),
        // Older run.json files lack these two: they mean what they meant then.
        text("--server-fault", "server_faults", &RunOptions::server_faults, Text::optional),
        number("--max-error-rate", "max_error_rate", &RunOptions::max_error_rate, check_rate, true),
    };
    return all;
}

}  // namespace

std::vector<std::string> recorded_option_flags() {
    std::vector<std::string> flags;
    for (const auto& o : options()) flags.emplace_back(o.flag);
    return flags;
}

void check_error_rate(double rate) {
    check_rate("--max-error-rate", rate);
}

void check_not_blank(const std::string& option, const std::string& value) {
    if (value.find_first_not_of(" \t\n\r\f\v") == std::string::npos)
        throw UsageError(fmt::format("{} is {}: give a {}", option,
                                     value.empty() ? "empty" : "blank",
                                     option == "--baseline" ? "backend name" : "folder"));
}

void check_ranges(const RunOptions& opts) {
    for (const auto& o : options())
        if (o.check) o.check(opts);
}

void check_baseline_selected(const RunOptions& opts) {
    std::vector<std::string> names;
    for (const auto* b : select_backends(opts.backends)) names.push_back(b->name());
    if (std::find(names.begin(), names.end(), opts.baseline) == names.end())
        throw UsageError(fmt::format(
            "--baseline {} is not one of the selected backends ({}): give one of them, or "
            "add {} to --backend",
            opts.baseline, fmt::join(names, ", "), opts.baseline));
}

std::string normalized_faults(const std::string& spec) {
    try {
        return FaultRates::parse(spec).text();
    } catch (const ServerOptionError& e) {
        throw UsageError(e.what());
    }
}

json run_json(const RunOptions& opts) {
    json j = {{"schema_version", kSchemaVersion}};
    for (const auto& o : options()) j[o.name] = o.save(opts);
    return j;
}

RunOptions from_run_json(const json& j, RunOptions o) {
    if (!j.is_object()) throw UsageError("it is not a JSON object");
    for (const auto& option : options()) option.load(j, o);
    return o;
}

}  // namespace concbench
