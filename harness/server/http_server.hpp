// `concbench serve`: an HTTP/1.1 delay server (Boost.Beast) with keep-alive. Delays are
// timers, so thousands of delayed requests cost no threads.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <chrono>
#include <cstdint>
#include <string>

#include "http_faults.hpp"

namespace concbench {

struct ServerOptions {
    std::string bind = "127.0.0.1";
    std::uint16_t port = 0;  // 0: a free port
    int threads = 1;
    FaultRates faults;                        // per request, on /delay and /bytes only
    std::uint64_t fault_seed = 1;             // the same seed injects the same sequence
    std::chrono::milliseconds stall{60'000};  // a stalled request is dropped after this
};

struct ServerStats {
    std::atomic<std::uint64_t> requests{0};
    std::atomic<std::int64_t> in_flight{0};  // read, not yet fully answered
    std::atomic<std::int64_t> max_in_flight{0};
    std::atomic<std::uint64_t> connections{0};
};

class HttpServer {
  public:
    /// Binds and listens, and from then on stops at SIGINT or SIGTERM. Throws
    /// std::system_error (e.g. the address is in use).
    explicit HttpServer(const ServerOptions& opts);
    std::uint16_t port() const { return port_; }
    const ServerStats& stats() const { return stats_; }
    const FaultInjector& faults() const { return faults_; }
    /// Serves on `threads` threads until stop() or a signal.
    void run();
    /// Ends run(); open connections are dropped. Thread-safe.
    void stop();

  private:
    ServerOptions opts_;
    ServerStats stats_;  // before ctx_: sessions still in it when it goes touch these
    FaultInjector faults_;
    boost::asio::io_context ctx_;
    boost::asio::ip::tcp::acceptor acceptor_;  // after ctx_: destroyed before it
    boost::asio::signal_set signals_;          // SIGINT and SIGTERM stop the server
    std::uint16_t port_ = 0;
};

/// The serve subcommand: prints the handshake (listening_line.hpp) and serves. Returns the
/// exit code; throws ServerOptionError for a non-loopback --bind or --threads out of range.
int run_server(const ServerOptions& opts);

}  // namespace concbench
