#include "http.hpp"

#include <fmt/format.h>

#include <boost/asio/ip/address.hpp>
#include <charconv>
#include <stdexcept>

namespace concbench {

Endpoint Endpoint::parse(std::string_view text) {
    const auto bad = [&](std::string_view why) {
        return std::invalid_argument(
            fmt::format("invalid target '{}': {} (valid: host:port with a loopback host, e.g. "
                        "127.0.0.1:8080, localhost:8080 or [::1]:8080)",
                        text, why));
    };
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) throw bad("no port");
    std::string host(text.substr(0, colon));
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    if (host == "localhost") host = "127.0.0.1";
    const std::string_view port_text = text.substr(colon + 1);
    unsigned port = 0;
    auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (port_text.empty() || ec != std::errc{} || ptr != port_text.data() + port_text.size() ||
        port == 0 || port > 65535)
        throw bad("the port must be a number from 1 to 65535");
    boost::system::error_code addr_ec;
    const auto addr = boost::asio::ip::make_address(host, addr_ec);
    if (addr_ec) throw bad("the host must be an IP address or localhost");
    if (!addr.is_loopback()) throw bad("load stays on this machine, so the host must be loopback");
    return {addr.to_string(), static_cast<std::uint16_t>(port)};
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
