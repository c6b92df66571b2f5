// What the delay server answers to each path, as a pure function.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace concbench {

struct Route {
    enum class Kind { respond, stats, reset_mid_body };
    Kind kind = Kind::respond;
    unsigned status = 200;
    std::chrono::milliseconds delay{0};
    std::string body;         // a short text body, or
    std::uint64_t bytes = 0;  // this many deterministic_body bytes, made as they are sent
    std::string allow;        // the Allow field of a 405
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

/// The same for a request with `method`: GET and HEAD (whose answer the server sends without
/// its body) are routed by target; any other method is 405 with `Allow: GET, HEAD`.
Route route(std::string_view method, std::string_view target);

}  // namespace concbench
