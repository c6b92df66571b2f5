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
    /// What parse() would find wrong with `text` ("the port must be ..."), or "" if nothing.
    static std::string problem(std::string_view text);
    /// "host:port with a loopback host, e.g. ...": what parse() accepts, for messages.
    static std::string_view valid();
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
    /// Whether the connection can carry another request. False when the request asked to
    /// close, or the response ended the connection (`Connection: close`, HTTP/1.0 without
    /// keep-alive, a body delimited by the close): the client has then closed it already.
    bool reusable = false;
};

/// The largest body a GET reads when its caller names no limit. A larger one is refused as
/// soon as it is announced (Content-Length) or passes the limit (chunked, close-delimited),
/// so a server cannot make the client hold more than this in memory.
inline constexpr std::uint64_t kDefaultMaxBody = 1 << 20;

/// The n bytes /bytes/<n> answers with: byte k is 'a' + k % 26.
std::string deterministic_body(std::size_t n);

}  // namespace concbench
