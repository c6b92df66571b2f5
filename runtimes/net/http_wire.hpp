// What the blocking and the Asio network operations share, below the Net interface: a TCP
// socket with its read buffer, the request, Beast's response parser with its body limit, the
// end of a response, and the mapping of socket errors to RequestError. Not installed: it
// includes Boost.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <typeinfo>

#include "http.hpp"
#include "request_error.hpp"

namespace concbench::http_wire {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

/// The state of one connection that both ways of waiting keep.
struct Socket {
    Socket(const asio::any_io_executor& ex, Endpoint ep, std::chrono::milliseconds t,
           bool may_stop)
        : socket(ex), endpoint(std::move(ep)), timeout(t), stoppable(may_stop) {}
    tcp::socket socket;
    boost::beast::flat_buffer buffer;  // kept between requests: it may hold the next bytes
    Endpoint endpoint;
    std::chrono::milliseconds timeout;  // of connect and of each request; zero: none
    bool stoppable;                     // opened with Stoppable::yes
};

/// Refuses (std::logic_error) a request with a stop token on a connection that was not
/// opened stoppable, the same way on every backend.
void check_stoppable(const Socket& s, const std::stop_token& stop, const char* net);

/// The error for `ec` on `s`, said for a person (operation_aborted: the request was stopped); `max_body`: the request's body limit, named
/// when it was passed.
RequestError request_error(const error_code& ec, const Socket& s, std::uint64_t max_body = 0);

inline tcp::endpoint to_tcp(const Endpoint& ep) {
    return {asio::ip::make_address(ep.host), ep.port};
}

http::request<http::empty_body> make_request(const Socket& s, const std::string& target,
                                             bool keep_alive);

using Parser = http::response_parser<http::string_body>;

/// A fresh parser for the next response. Its body limit is what keeps a server from making
/// the client hold an arbitrary body: Beast refuses a larger Content-Length before reading
/// any of the body, and a chunked or close-delimited body as soon as it passes the limit.
inline Parser& fresh(std::optional<Parser>& parser, std::uint64_t max_body) {
    parser.emplace();
    parser->body_limit(max_body);
    return *parser;
}

/// 100 Continue, 102 Processing, 103 Early Hints: a final response follows on the same
/// connection. 101 Switching Protocols is final (it ends HTTP on this connection).
inline bool interim(const Parser& parser) {
    const unsigned status = parser.get().result_int();
    return status >= 100 && status < 200 && status != 101;
}

/// Takes the response, and closes the connection unless it is reusable (see HttpResponse).
HttpResponse finish(Socket& s, Parser& parser, bool keep_alive);

/// `conn` as the connection type `C` of the Net called `net`. A connection made by another
/// Net is a bug in the caller: std::logic_error.
template <class C>
C& own(HttpConnection& conn, const char* net) {
    if (typeid(conn) != typeid(C))
        throw std::logic_error(std::string("a connection made by another Net was passed to ") +
                               net);
    return static_cast<C&>(conn);
}

}  // namespace concbench::http_wire
