#include "http_wire.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cerrno>

#include "exhaustion.hpp"

namespace concbench::http_wire {

namespace {
ErrorKind kind_of(const error_code& ec) {
    if (ec == asio::error::connection_refused) return ErrorKind::refused;
    if (ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
        ec == asio::error::connection_aborted)
        return ErrorKind::reset;
    if (ec == asio::error::eof || ec == http::error::end_of_stream ||
        ec == http::error::partial_message)
        return ErrorKind::closed;
    if (ec == asio::error::timed_out) return ErrorKind::timeout;
    if (ec == asio::error::no_descriptors || ec == asio::error::no_memory ||
        ec == asio::error::no_buffer_space || ec.value() == ENFILE)
        return ErrorKind::resources;
    if (ec == http::error::body_limit) return ErrorKind::too_large;
    if (ec == asio::error::operation_aborted) return ErrorKind::cancelled;
    return ErrorKind::other;
}
}  // namespace

RequestError request_error(const error_code& ec, const Socket& s, std::uint64_t max_body) {
    const ErrorKind kind = kind_of(ec);
    std::string what = ec.message();
    if (!what.empty())
        what[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(what[0])));
    if (kind == ErrorKind::timeout)
        what = fmt::format("timed out after {} ms", s.timeout.count());
    else if (ec == asio::error::no_descriptors || ec.value() == ENFILE)
        what = open_files_failure(ec.value());
    else if (kind == ErrorKind::too_large)
        what = fmt::format("a body larger than the {} bytes expected", max_body);
    else if (kind == ErrorKind::cancelled)
        what = "cancelled by a stop request";
    return RequestError(kind, fmt::format("{} ({})", what, s.endpoint.text()));
}

void check_stoppable(const Socket& s, const std::stop_token& stop, const char* net) {
    if (stop.stop_possible() && !s.stoppable)
        throw std::logic_error(fmt::format(
            "{}: http_get with a stop token on a connection not opened with Stoppable::yes",
            net));
}

http::request<http::empty_body> make_request(const Socket& s, const std::string& target,
                                             bool keep_alive) {
    http::request<http::empty_body> req{http::verb::get, target, 11};
    req.set(http::field::host, s.endpoint.text());
    req.set(http::field::user_agent, "concbench");
    req.keep_alive(keep_alive);
    return req;
}

/// Beast's parser keep_alive() is false for `Connection: close`, for HTTP/1.0 without
/// keep-alive and for a body that ends with the connection (need_eof). Such a connection is
/// closed here, so nobody can send on it again.
HttpResponse finish(Socket& s, Parser& parser, bool keep_alive) {
    const bool reusable = keep_alive && parser.keep_alive();
    if (!reusable) {
        error_code ignored;
        s.socket.shutdown(tcp::socket::shutdown_both, ignored);
        s.socket.close(ignored);
    }
    auto res = parser.release();
    return {res.result_int(), std::move(res.body()), reusable};
}

}  // namespace concbench::http_wire
