// What the delay server answers to each path, as a pure function.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace concbench {

struct Route {
    enum class Kind { respond, stats, reset_mid_body };
    Kind kind = Kind::respond;
    unsigned status = 200;
    std::chrono::milliseconds delay{0};
    std::string body;
};

inline constexpr std::int64_t kMaxDelayMs = 600'000;
inline constexpr std::int64_t kMaxBodyBytes = 256LL << 20;

/// GET /                      a short fixed body
/// GET /delay/<ms>            an empty body after <ms> milliseconds (a timer, not a thread)
/// GET /bytes/<n>             n deterministic bytes (deterministic_body)
/// GET /delay/<ms>/bytes/<n>  both
/// GET /stats                 JSON counters of the server
/// GET /fault/reset           headers and part of the body, then a connection reset
/// Anything else: 404; a number out of range or malformed: 400.
Route route(std::string_view target);

}  // namespace concbench
