// Parameters shared by backends and workloads: a declared spec (type, default, valid range)
// and the resolved values one run gets.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace concbench {

enum class ParamType { integer, duration, choice, text };

/// A declared parameter. Durations are held as integers in `unit` (ms, us or s).
struct ParamSpec {
    std::string name;
    ParamType type = ParamType::integer;
    std::string help;
    std::int64_t def = 0;
    std::int64_t min = 0;
    std::int64_t max = 0;
    std::string unit;                  // durations only
    std::vector<std::string> choices;  // choices only; def_string is one of them
    std::string def_string;            // choices and text: the default
    /// Integers outside min..max that are valid all the same, each with a meaning of its own
    /// (stack_kb 0: the system's default size), so min can be the real minimum.
    std::vector<std::int64_t> special = {};

    /// Whether `v` is a valid integer or duration: in min..max, or special.
    bool accepts(std::int64_t v) const;
    /// "16..1048576", "0 or 16..1048576", "1..10000ms": what accepts() accepts.
    std::string range_text() const;

    static ParamSpec integer(std::string name, std::int64_t def, std::int64_t min, std::int64_t max,
                             std::string help);
    static ParamSpec duration(std::string name, std::string unit, std::int64_t def,
                              std::int64_t min, std::int64_t max, std::string help);
    /// Free text without commas (commas separate list items), e.g. an address.
    static ParamSpec text(std::string name, std::string def, std::string help);
    static ParamSpec choice(std::string name, std::vector<std::string> choices, std::string def,
                            std::string help);
};

using ParamValue = std::variant<std::int64_t, std::string>;

/// The integer grammar of every number a user types: an optional '-' and decimal digits,
/// nothing else (no spaces, '+', 0x or suffixes); nullopt if `text` is not one or overflows.
std::optional<std::int64_t> parse_decimal(std::string_view text);

/// Parses one value for `spec` ("100", "1s" for a duration in ms, "pool" for a choice).
/// Throws std::invalid_argument with a message naming the parameter and what is valid.
ParamValue parse_param_value(const ParamSpec& spec, std::string_view text);

/// The value as a user would type it back.
std::string to_string(const ParamValue& v);

/// The resolved values of one run, by name.
class Params {
  public:
    Params() = default;
    /// Every spec's default, overridden by `given` where it names the spec.
    Params(const std::vector<ParamSpec>& specs, const std::map<std::string, ParamValue>& given);

    std::int64_t integer(const std::string& name) const;
    std::chrono::nanoseconds duration(const std::string& name) const;
    const std::string& choice(const std::string& name) const;
    const std::string& text(const std::string& name) const { return choice(name); }
    const std::map<std::string, ParamValue>& values() const { return values_; }

  private:
    const ParamValue& at(const std::string& name) const;
    std::map<std::string, ParamValue> values_;
    std::map<std::string, std::string> units_;
};

/// Nanoseconds per one `unit` ("s", "ms", "us", "ns"); throws for anything else.
std::int64_t unit_ns(std::string_view unit);

}  // namespace concbench
