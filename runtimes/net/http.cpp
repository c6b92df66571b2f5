#include "http.hpp"

#include <fmt/format.h>

#include <boost/asio/ip/address.hpp>
#include <charconv>
#include <stdexcept>

namespace concbench {

namespace {
constexpr std::string_view kValidEndpoints =
    "host:port with a loopback host, e.g. 127.0.0.1:8080, localhost:8080 or [::1]:8080";

/// Parses `text` into `out`; returns what is wrong with it, or "" if nothing is.
std::string parse_endpoint(std::string_view text, Endpoint& out) {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return "no port";
    std::string host(text.substr(0, colon));
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    if (host == "localhost") host = "127.0.0.1";
    const std::string_view port_text = text.substr(colon + 1);
    unsigned port = 0;
    auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (port_text.empty() || ec != std::errc{} || ptr != port_text.data() + port_text.size() ||
        port == 0 || port > 65535)
        return "the port must be a number from 1 to 65535";
    boost::system::error_code addr_ec;
    const auto addr = boost::asio::ip::make_address(host, addr_ec);
    if (addr_ec) return "the host must be an IP address or localhost";
    if (!addr.is_loopback()) return "load stays on this machine, so the host must be loopback";
    out = {addr.to_string(), static_cast<std::uint16_t>(port)};
    return {};
}
}  // namespace

Endpoint Endpoint::parse(std::string_view text) {
    Endpoint ep;
    if (std::string why = parse_endpoint(text, ep); !why.empty())
        throw std::invalid_argument(
            fmt::format("invalid target '{}': {} (valid: {})", text, why, kValidEndpoints));
    return ep;
}

std::string Endpoint::problem(std::string_view text) {
    Endpoint ignored;
    return parse_endpoint(text, ignored);
}

std::string_view Endpoint::valid() {
    return kValidEndpoints;
}

std::string Endpoint::text() const {
    return host.find(':') == std::string::npos ? fmt::format("{}:{}", host, port)
                                               : fmt::format("[{}]:{}", host, port);
}

std::string deterministic_body(std::size_t n) {
    std::string body(n, '\0');
    for (std::size_t k = 0; k < n; ++k) body[k] = static_cast<char>('a' + k % 26);
    return body;
}

}  // namespace concbench
