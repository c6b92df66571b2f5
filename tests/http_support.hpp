// What the HTTP tests share: a delay server in the test process on a free loopback port
// (with faults if asked), the backend x keep-alive cases, and an http cell to run.
#pragma once

#include <cstdint>
#include <string>
#include <thread>

#include "backend.hpp"
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
    cell.backend_params = Params(cell.backend->params, {}).values();
    return cell;
}

}  // namespace concbench
