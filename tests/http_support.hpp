// What the HTTP tests share: a delay server in the test process on a free loopback port
// (with faults if asked), a scripted server for answers it never gives, the backend x
// keep-alive cases, and an http cell to run.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "backend.hpp"
#include "backend_cases.hpp"
#include "http.hpp"
#include "http_server.hpp"
#include "matrix.hpp"
#include "workload.hpp"

namespace concbench {

class LocalServer {
  public:
    explicit LocalServer(ServerOptions opts = {})
        : server_(opts), thread_([this] { server_.run(); }) {}
    ~LocalServer() {
        server_.stop();
        thread_.join();
    }
    Endpoint endpoint() const { return {"127.0.0.1", server_.port()}; }
    std::string address() const { return endpoint().text(); }
    const ServerStats& stats() const { return server_.stats(); }
    const FaultInjector& faults() const { return server_.faults(); }

  private:
    HttpServer server_;
    std::thread thread_;
};

/// A loopback server that answers every request it reads with the same bytes, written by the
/// test: interim responses, a close after each answer, a huge Content-Length.
class ScriptedServer {
  public:
    /// `close`: close each connection after its first answer.
    ScriptedServer(std::string answer, bool close)
        : answer_(std::move(answer)),
          close_(close),
          acceptor_(ctx_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
        boost::asio::co_spawn(ctx_, accept(), boost::asio::detached);
        thread_ = std::thread([this] { ctx_.run(); });
    }
    ~ScriptedServer() {
        ctx_.stop();
        thread_.join();
    }
    std::string address() const {
        return "127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
    }

  private:
    using tcp = boost::asio::ip::tcp;
    static constexpr auto use_tuple = boost::asio::as_tuple(boost::asio::use_awaitable);

    boost::asio::awaitable<void> accept() {
        for (;;) {
            auto [ec, socket] = co_await acceptor_.async_accept(use_tuple);
            if (ec) co_return;
            boost::asio::co_spawn(ctx_, serve(std::move(socket)), boost::asio::detached);
        }
    }
    boost::asio::awaitable<void> serve(tcp::socket socket) {
        std::string in;
        for (;;) {  // requests are GETs: a request ends with its empty line
            auto [ec, n] = co_await boost::asio::async_read_until(
                socket, boost::asio::dynamic_buffer(in), "\r\n\r\n", use_tuple);
            if (ec) co_return;
            in.erase(0, n);
            auto [write_ec, m] =
                co_await boost::asio::async_write(socket, boost::asio::buffer(answer_), use_tuple);
            if (write_ec || close_) break;
        }
        boost::system::error_code ignored;
        socket.shutdown(tcp::socket::shutdown_send, ignored);
    }

    const std::string answer_;
    const bool close_;
    boost::asio::io_context ctx_;
    tcp::acceptor acceptor_;
    std::thread thread_;
};

/// One backend with keep-alive on or off.
struct Case {
    std::string backend;
    std::string keepalive;
};

/// "async_mt_keepalive_on": a test name for INSTANTIATE_TEST_SUITE_P.
inline std::string case_name(const Case& c) {
    std::string name = c.backend + "_keepalive_" + c.keepalive;
    for (char& ch : name)
        if (ch == '-') ch = '_';
    return name;
}

/// Every registered backend (at its defaults) with keep-alive on and off: a new backend
/// runs the HTTP suites by being registered.
inline std::vector<Case> every_case() {
    std::vector<Case> out;
    for (const auto& b : default_backend_cases())
        for (const char* keepalive : {"on", "off"}) out.push_back({b.backend, keepalive});
    return out;
}

/// The http workload on `c`'s backend against `target`, every other parameter at its default.
inline Cell http_cell(const Case& c, const std::string& target, std::int64_t requests,
                      std::int64_t concurrency, std::int64_t delay_ms) {
    Cell cell;
    cell.backend = find_backend(c.backend);
    cell.workload = find_workload("http");
    cell.workload_params = Params(cell.workload->params(), {}).values();
    cell.workload_params["target"] = target;
    cell.workload_params["requests"] = requests;
    cell.workload_params["concurrency"] = concurrency;
    cell.workload_params["delay_ms"] = delay_ms;
    cell.workload_params["keepalive"] = c.keepalive;
    cell.backend_params = Params(cell.backend->params(), {}).values();
    return cell;
}

}  // namespace concbench
