// Backend-neutral HTTP types: where to connect, what came back, and the deterministic bodies
// the delay server sends so that clients can check every byte.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace concbench {

/// A loopback address and port. Load stays on this machine: parse() accepts only loopback.
struct Endpoint {
    std::string host;  // an IPv4 or IPv6 literal
    std::uint16_t port = 0;

    /// "127.0.0.1:8080", "localhost:8080" or "[::1]:8080". Throws std::invalid_argument
    /// naming what is wrong and what is valid.
    static Endpoint parse(std::string_view text);
    std::string text() const;
};

/// An open connection, owned by the workload that made it. Opaque: each backend keeps its
/// own socket inside. Must be destroyed before the backend that made it.
class HttpConnection {
  public:
    virtual ~HttpConnection() = default;
};

struct HttpResponse {
    unsigned status = 0;
    std::string body;
};

/// The n bytes /bytes/<n> answers with: byte k is 'a' + k % 26.
std::string deterministic_body(std::size_t n);

}  // namespace concbench
