// The network operations of the blocking backends (sync, threads, and any scheduler whose
// operations block a thread): Boost.Beast's blocking API, each operation finished before
// its hook returns.
//
// A connection's timeout is enforced with socket timeouts (SO_RCVTIMEO / SO_SNDTIMEO), so a
// blocked recv, send or connect returns when the time is up. A stop request shuts the socket
// down from the requesting thread, which wakes a recv or send blocked on it.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <stop_token>
#include <string>

#include "net.hpp"

namespace concbench {

/// Must outlive the connections it makes: a backend keeps it as a member, and its Io refers
/// to it (the workload may hold connections until it is destroyed, after the run).
class BlockingNet final : public Net {
  public:
    /// The operations themselves, for callers outside a task (tests, tools). Throw
    /// RequestError as the awaitables do.
    std::unique_ptr<HttpConnection> blocking_connect(const Endpoint& ep,
                                                     std::chrono::milliseconds timeout = {},
                                                     Stoppable stoppable = Stoppable::no);
    HttpResponse blocking_get(HttpConnection& conn, const std::string& target, bool keep_alive,
                              std::uint64_t max_body = kDefaultMaxBody,
                              const std::stop_token& stop = {});

  protected:
    bool suspend_connect(const Endpoint& ep, std::chrono::milliseconds timeout,
                         Stoppable stoppable, OpResult<std::unique_ptr<HttpConnection>>& out,
                         std::coroutine_handle<> h) override;
    bool suspend_http_get(HttpConnection& conn, const std::string& target, bool keep_alive,
                          std::uint64_t max_body, std::stop_token stop,
                          OpResult<HttpResponse>& out, std::coroutine_handle<> h) override;

  private:
    boost::asio::io_context sockets_;  // only owns the sockets; never run
};

}  // namespace concbench
