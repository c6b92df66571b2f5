#include "params.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace concbench {

ParamSpec ParamSpec::integer(std::string name, std::int64_t def, std::int64_t min, std::int64_t max,
                             std::string help) {
    ParamSpec s;
    s.name = std::move(name);
    s.type = ParamType::integer;
    s.def = def;
    s.min = min;
    s.max = max;
    s.help = std::move(help);
    return s;
}

ParamSpec ParamSpec::duration(std::string name, std::string unit, std::int64_t def,
                              std::int64_t min, std::int64_t max, std::string help) {
    ParamSpec s = integer(std::move(name), def, min, max, std::move(help));
    s.type = ParamType::duration;
    unit_ns(unit);  // rejects unknown units at registration
    s.unit = std::move(unit);
    return s;
}

ParamSpec ParamSpec::choice(std::string name, std::vector<std::string> choices, std::string def,
                            std::string help) {
    ParamSpec s;
    s.name = std::move(name);
    s.type = ParamType::choice;
    s.choices = std::move(choices);
    s.def_string = std::move(def);
    s.help = std::move(help);
    return s;
}

ParamSpec ParamSpec::text(std::string name, std::string def, std::string help) {
    ParamSpec s;
    s.name = std::move(name);
    s.type = ParamType::text;
    s.def_string = std::move(def);
    s.help = std::move(help);
    return s;
}

std::int64_t unit_ns(std::string_view unit) {
    if (unit == "s") return 1'000'000'000;
    if (unit == "ms") return 1'000'000;
    if (unit == "us") return 1'000;
    if (unit == "ns") return 1;
    throw std::invalid_argument(
        fmt::format("unknown time unit '{}': valid are s, ms, us, ns", unit));
}

bool ParamSpec::accepts(std::int64_t v) const {
    return (v >= min && v <= max) || std::find(special.begin(), special.end(), v) != special.end();
}

std::string ParamSpec::range_text() const {
    std::string out;
    for (const auto v : special) out += fmt::format("{} or ", v);
    return out + fmt::format("{}..{}{}", min, max, unit);
}

std::optional<std::int64_t> parse_decimal(std::string_view text) {
    std::int64_t v = 0;
    const char* end = text.data() + text.size();
    // from_chars takes no '+', spaces nor base prefixes: exactly the grammar wanted.
    auto [ptr, ec] = std::from_chars(text.data(), end, v);
    if (text.empty() || ec != std::errc{} || ptr != end) return std::nullopt;
    return v;
}

namespace {

std::string range_text(const ParamSpec& spec) {
    return spec.range_text();
}

std::int64_t parse_integer(const ParamSpec& spec, std::string_view text) {
    if (const auto v = parse_decimal(text)) return *v;
    throw std::invalid_argument(fmt::format("invalid value '{}' for {}: expected an integer in {}",
                                            text, spec.name, range_text(spec)));
}

/// "250" (in the spec's unit) or a number with a unit suffix that converts exactly.
std::int64_t parse_duration(const ParamSpec& spec, std::string_view text) {
    std::size_t digits = 0;
    while (digits < text.size() && (std::isdigit(static_cast<unsigned char>(text[digits])) ||
                                    (digits == 0 && text[0] == '-')))
        ++digits;
    std::string_view number = text.substr(0, digits);
    std::string_view unit = text.substr(digits);
    auto bad = [&] {
        return std::invalid_argument(fmt::format(
            "invalid value '{}' for {}: expected a duration such as 100, 100{} or 1s, in {}", text,
            spec.name, spec.unit, range_text(spec)));
    };
    std::int64_t n = 0;
    auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), n);
    if (number.empty() || ec != std::errc{} || ptr != number.data() + number.size()) throw bad();
    if (unit.empty()) return n;
    std::int64_t from = 0;
    try {
        from = unit_ns(unit);
    } catch (const std::invalid_argument&) {
        throw bad();
    }
    const std::int64_t to = unit_ns(spec.unit);
    __int128 ns = static_cast<__int128>(n) * from;
    if (ns % to != 0)
        throw std::invalid_argument(fmt::format(
            "invalid value '{}' for {}: must be a whole number of {}", text, spec.name, spec.unit));
    __int128 v = ns / to;
    if (v > INT64_MAX || v < INT64_MIN) throw bad();
    return static_cast<std::int64_t>(v);
}

}  // namespace

ParamValue parse_param_value(const ParamSpec& spec, std::string_view text) {
    if (spec.type == ParamType::text) {
        if (text.empty()) throw std::invalid_argument(fmt::format("empty value for {}", spec.name));
        return std::string(text);
    }
    if (spec.type == ParamType::choice) {
        for (const auto& c : spec.choices)
            if (c == text) return c;
        throw std::invalid_argument(fmt::format("invalid value '{}' for {}: valid choices are {}",
                                                text, spec.name, fmt::join(spec.choices, ", ")));
    }
    const std::int64_t v =
        spec.type == ParamType::integer ? parse_integer(spec, text) : parse_duration(spec, text);
    if (!spec.accepts(v))
        throw std::invalid_argument(
            fmt::format("{}={} is out of range: valid is {}", spec.name, text, range_text(spec)));
    return v;
}

std::string to_string(const ParamValue& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
    return std::get<std::string>(v);
}

Params::Params(const std::vector<ParamSpec>& specs,
               const std::map<std::string, ParamValue>& given) {
    for (const auto& s : specs) {
        auto it = given.find(s.name);
        if (it != given.end())
            values_[s.name] = it->second;
        else if (s.type == ParamType::choice || s.type == ParamType::text)
            values_[s.name] = s.def_string;
        else
            values_[s.name] = s.def;
        if (s.type == ParamType::duration) units_[s.name] = s.unit;
    }
}

const ParamValue& Params::at(const std::string& name) const {
    auto it = values_.find(name);
    if (it == values_.end())
        throw std::logic_error(fmt::format("parameter '{}' was not declared", name));
    return it->second;
}

std::int64_t Params::integer(const std::string& name) const {
    return std::get<std::int64_t>(at(name));
}

std::chrono::nanoseconds Params::duration(const std::string& name) const {
    auto u = units_.find(name);
    if (u == units_.end())
        throw std::logic_error(fmt::format("parameter '{}' is not a duration", name));
    return std::chrono::nanoseconds(integer(name) * unit_ns(u->second));
}

const std::string& Params::choice(const std::string& name) const {
    return std::get<std::string>(at(name));
}

}  // namespace concbench
