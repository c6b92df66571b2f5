#include "http_routes.hpp"

#include <fmt/format.h>

#include <charconv>
#include <optional>

namespace concbench {

namespace {

std::optional<std::int64_t> number(std::string_view text, std::int64_t max) {
    std::int64_t v = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size() || v < 0 || v > max)
        return std::nullopt;
    return v;
}

Route error(unsigned status, std::string text) {
    Route r;
    r.status = status;
    r.body = std::move(text) + "\n";
    return r;
}

Route special(Route::Kind kind) {
    Route r;
    r.kind = kind;
    return r;
}

/// Consumes "/<name>/<number>" from the front of `path`.
std::optional<std::int64_t> take(std::string_view& path, std::string_view name, std::int64_t max,
                                 bool& malformed) {
    const std::string prefix = fmt::format("/{}/", name);
    if (path.substr(0, prefix.size()) != prefix) return std::nullopt;
    path.remove_prefix(prefix.size());
    const std::size_t end = std::min(path.find('/'), path.size());
    auto v = number(path.substr(0, end), max);
    if (!v) malformed = true;
    path.remove_prefix(end);
    return v;
}

}  // namespace

Route route(std::string_view target) {
    const std::string_view path = target.substr(0, target.find('?'));
    if (path == "/") {
        Route r;
        r.body = "concbench serve\n";
        return r;
    }
    if (path == "/stats") return special(Route::Kind::stats);
    if (path == "/fault/reset") return special(Route::Kind::reset_mid_body);

    std::string_view rest = path;
    bool malformed = false;
    const auto delay = take(rest, "delay", kMaxDelayMs, malformed);
    const auto bytes = take(rest, "bytes", kMaxBodyBytes, malformed);
    if (malformed)
        return error(400, fmt::format("bad request: {} (delay up to {} ms, bytes up to {})", path,
                                      kMaxDelayMs, kMaxBodyBytes));
    if ((!delay && !bytes) || !rest.empty()) return error(404, fmt::format("not found: {}", path));
    Route r;
    r.delay = std::chrono::milliseconds(delay.value_or(0));
    r.bytes = static_cast<std::uint64_t>(bytes.value_or(0));
    return r;
}

Route route(std::string_view method, std::string_view target) {
    if (method == "GET" || method == "HEAD") return route(target);
    Route r = error(405, fmt::format("method not allowed: {} (allowed: GET, HEAD)", method));
    r.allow = "GET, HEAD";
    return r;
}

}  // namespace concbench
