#include "validators.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <string>

#include "params.hpp"

namespace concbench {

CLI::Validator integer() {
    return CLI::Validator(
        [](std::string& s) {
            return parse_decimal(s) ? std::string()
                                    : fmt::format("'{}' is not an integer (decimal digits)", s);
        },
        "INT", "integer");
}

CLI::Validator number() {
    return CLI::Validator(
        [](std::string& s) {
            double v = 0;
            const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
            if (s.empty() || ec != std::errc{} || end != s.data() + s.size() || !std::isfinite(v))
                return fmt::format("'{}' is not a decimal number", s);
            return std::string();
        },
        "NUMBER", "number");
}

}  // namespace concbench
