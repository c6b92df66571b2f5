// The request logic of the http workload, shared by the workloads made of HTTP requests
// (http, mixed): `requests` GETs against an HTTP server, at most `concurrency` in flight.
//
// With keepalive=on a request reuses an idle connection of an earlier one (so at most
// `concurrency` connections are open); with off, each request opens and closes its own. With
// timeout_ms, each connect and each request gives up after that long. A request that fails
// (refused, reset, closed, timed out, an HTTP error status, a body far larger than expected)
// is counted by kind, not retried; a 200 with the wrong body (by `expect`) is a validation
// failure. A connection goes back to the idle pool only if the response left it open.
//
// `path` auto asks the delay server for /delay/<delay_ms>/bytes/<body_bytes>; any other path
// targets whatever server `target` names (a Caddy or nginx "Hello World", say), with `expect`
// saying what a right answer is: bytes (the delay server's body of body_bytes), status (any
// body with status 200) or length=N (a body of exactly N bytes).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "workload.hpp"

namespace concbench {

class HttpRun : public WorkloadRun {
  public:
    /// Throws std::invalid_argument for a `path` or `expect` it cannot use.
    HttpRun(const Params& p, const RunContext& ctx);

    std::size_t tasks() const override { return requests_; }
    Task<void> task(Io& io, std::size_t i) override;
    OpErrors errors() const override;
    std::string validate() const override;
    std::uint64_t ops() const override { return ok_.load(); }
    std::optional<double> ideal_wall_s(const Shape& s) const override;

    /// Declares the parameters and the fixture HttpRun reads on `def`.
    static WorkloadDef* declare(WorkloadDef* def);

  protected:
    /// Called after request `i` got a right answer, before the task ends: what a derived
    /// workload does with the response (none here).
    virtual Task<void> after_response(Io&, std::size_t) { co_return; }

  private:
    using Reasons = std::map<std::string, std::size_t>;
    struct Failure {
        std::string kind;    // ErrorKind's name, or http_status
        std::string reason;  // the message
        auto operator<=>(const Failure&) const = default;
    };
    enum class Expect { bytes, status, length };

    /// What is wrong with a 200 response's body, empty if nothing.
    std::string wrong_body(const std::string& body) const;
    std::unique_ptr<HttpConnection> take_idle();
    void give_back(std::unique_ptr<HttpConnection> c);
    std::string summary(const Reasons& reasons, std::string_view what) const;

    std::size_t requests_;
    std::size_t concurrency_ = 1;
    std::chrono::nanoseconds delay_;
    bool keepalive_;
    std::chrono::milliseconds timeout_;  // zero: none
    bool delay_path_;                    // path=auto: the delay server's path
    std::string path_;
    Expect expect_ = Expect::bytes;
    std::string expected_;          // expect=bytes: the body
    std::uint64_t expected_len_ = 0;  // expect=length: its size
    std::uint64_t max_body_ = 0;    // the body read at most
    Endpoint endpoint_;

    mutable std::mutex m_;
    std::vector<std::unique_ptr<HttpConnection>> idle_;  // guarded by m_
    std::map<Failure, std::size_t> failures_;            // guarded by m_
    Reasons wrong_;                                      // guarded by m_
    std::atomic<std::size_t> ok_{0};
};

}  // namespace concbench
