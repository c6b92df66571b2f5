// A delay server in the test process on a free loopback port, with faults if asked.
#pragma once

#include <string>
#include <thread>

#include "http.hpp"
#include "http_server.hpp"

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

}  // namespace concbench
