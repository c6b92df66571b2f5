// http: `requests` GETs against an HTTP server, at most `concurrency` in flight, each
// answered after `delay_ms` with `body_bytes` bytes that are checked byte for byte. With
// keepalive=on a request reuses an idle connection of an earlier one (so at most
// `concurrency` connections are open); with off, each request opens and closes its own.
// With timeout_ms, each connect and each request gives up after that long. A request that
// fails (refused, reset, closed, timed out, an HTTP error status, a body far larger than
// expected) is counted by kind, not retried; a 200 with the wrong body is a validation
// failure. A connection goes back to the idle pool only if the response left it open.
#include "http.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "limits.hpp"
#include "run_plan.hpp"
#include "workload.hpp"

namespace concbench {
namespace {

/// Makes room for `concurrency` connections, failing with how to raise the limit if the
/// hard one is too low.
void ensure_open_files(std::size_t concurrency) {
    const std::size_t needed = concurrency + 64;  // + the process's own descriptors
    if (const OpenFilesLimit lim = raise_open_files(needed); lim.soft < needed)
        throw std::runtime_error(fmt::format(
            "concurrency {} needs about {} open files but the hard limit is {}: raise it as root "
            "with `ulimit -Hn {}` (or in /etc/security/limits.conf), or lower concurrency",
            concurrency, needed, lim.hard, needed));
}

/// The kind of a request answered with a status other than 200.
constexpr const char* kHttpStatus = "http_status";

class HttpRun final : public WorkloadRun {
  public:
    HttpRun(const Params& p, const RunContext& ctx)
        : requests_(static_cast<std::size_t>(p.integer("requests"))),
          delay_(p.duration("delay_ms")),
          keepalive_(p.choice("keepalive") == "on"),
          timeout_(std::chrono::duration_cast<std::chrono::milliseconds>(p.duration("timeout_ms"))),
          path_(fmt::format("/delay/{}/bytes/{}", p.integer("delay_ms"), p.integer("body_bytes"))),
          expected_(deterministic_body(static_cast<std::size_t>(p.integer("body_bytes")))),
          endpoint_(ctx.server()) {
        concurrency_ = RunPlan::clamp_concurrency(requests_, p.integer("concurrency"));
        ensure_open_files(concurrency_);
    }

    std::size_t tasks() const override { return requests_; }

    Task<void> task(Io& io, std::size_t) override {
        std::unique_ptr<HttpConnection> conn = keepalive_ ? take_idle() : nullptr;
        std::optional<Failure> failed;
        std::string wrong;
        bool reusable = false;  // only a complete response that keeps the connection open
        try {
            if (!conn) conn = co_await io.net().connect(endpoint_, timeout_);
            const HttpResponse r =
                co_await io.net().http_get(*conn, path_, keepalive_, max_body());
            reusable = r.reusable;
            if (r.status != 200)
                failed = Failure{kHttpStatus, fmt::format("HTTP status {}", r.status)};
            else if (r.body != expected_)
                wrong = fmt::format("a body of {} bytes that differs from the {} expected",
                                    r.body.size(), expected_.size());
        } catch (const RequestError& e) {
            failed = Failure{to_string(e.kind), e.what()};
        }
        if (failed || !wrong.empty()) {
            {
                std::lock_guard lock(m_);
                if (failed)
                    ++failures_[*failed];
                else
                    ++wrong_[wrong];
            }
            // An error status came in a complete response: the connection is fine if the
            // server kept it. After any other failure it is dropped, its state unknown.
            if (reusable && failed && failed->kind == kHttpStatus) give_back(std::move(conn));
            co_return;
        }
        ok_.fetch_add(1, std::memory_order_relaxed);
        if (reusable) give_back(std::move(conn));
    }

    OpErrors errors() const override {
        std::lock_guard lock(m_);
        OpErrors e;
        e.attempted = requests_;
        std::map<std::string, std::size_t> by_reason;
        for (const auto& [failure, n] : failures_) {
            e.by_kind[failure.kind] += n;
            by_reason[failure.reason] += n;
        }
        e.summary = summary(by_reason, "requests failed");
        return e;
    }

    std::string validate() const override {
        std::lock_guard lock(m_);
        if (std::string s = summary(wrong_, "responses were wrong"); !s.empty()) return s;
        std::size_t failed = 0;
        for (const auto& [failure, n] : failures_) failed += n;
        if (ok_ + failed != requests_)
            return fmt::format("{} of {} requests succeeded and {} failed", ok_.load(), requests_,
                               failed);
        return {};
    }

    std::uint64_t ops() const override { return ok_.load(); }

    std::optional<double> ideal_wall_s(const Shape& s) const override {
        if (delay_.count() == 0) return std::nullopt;  // no lower bound but the machine's speed
        const std::size_t waves = (s.tasks + s.concurrency - 1) / s.concurrency;
        return static_cast<double>(waves) * std::chrono::duration<double>(delay_).count();
    }

  private:
    using Reasons = std::map<std::string, std::size_t>;

    /// The body read at most: what is expected and a margin, so that a slightly longer body
    /// is reported as wrong while a huge one is refused before the client holds it.
    std::uint64_t max_body() const { return expected_.size() + kBodyMargin; }
    static constexpr std::uint64_t kBodyMargin = 64 << 10;
    struct Failure {
        std::string kind;    // ErrorKind's name, or http_status
        std::string reason;  // the message
        auto operator<=>(const Failure&) const = default;
    };

    std::unique_ptr<HttpConnection> take_idle() {
        std::lock_guard lock(m_);
        if (idle_.empty()) return nullptr;
        auto c = std::move(idle_.back());
        idle_.pop_back();
        return c;
    }

    void give_back(std::unique_ptr<HttpConnection> c) {
        std::lock_guard lock(m_);
        idle_.push_back(std::move(c));
    }

    /// "37 of 1000 requests failed: connection refused (127.0.0.1:8080)"; several reasons
    /// are listed most frequent first with their counts. Called with m_ held.
    std::string summary(const Reasons& reasons, std::string_view what) const {
        std::vector<std::pair<std::size_t, std::string>> by_count;
        std::size_t total = 0;
        for (const auto& [why, n] : reasons) {
            by_count.emplace_back(n, why);
            total += n;
        }
        if (total == 0) return {};
        std::sort(by_count.rbegin(), by_count.rend());
        std::vector<std::string> parts;
        for (const auto& [n, why] : by_count)
            parts.push_back(by_count.size() == 1 ? why : fmt::format("{} x {}", n, why));
        return fmt::format("{} of {} {}: {}", total, requests_, what, fmt::join(parts, "; "));
    }

    std::size_t requests_;
    std::size_t concurrency_ = 1;
    std::chrono::nanoseconds delay_;
    bool keepalive_;
    std::chrono::milliseconds timeout_;  // zero: none
    std::string path_;
    std::string expected_;
    Endpoint endpoint_;

    mutable std::mutex m_;
    std::vector<std::unique_ptr<HttpConnection>> idle_;  // guarded by m_
    std::map<Failure, std::size_t> failures_;            // guarded by m_
    Reasons wrong_;                                      // guarded by m_
    std::atomic<std::size_t> ok_{0};
};

}  // namespace

CONCBENCH_WORKLOAD(http, HttpRun)
    ->kind(Kind::io)
    ->description(
        "GET requests to an HTTP delay server, each answered after `delay_ms` with "
        "`body_bytes` checked bytes")
    ->param(ParamSpec::integer("requests", 1000, 1, 10'000'000, "requests to make"))
    ->param(ParamSpec::duration("delay_ms", "ms", 0, 0, 600'000, "server-side delay per request"))
    ->param(ParamSpec::integer("body_bytes", 100, 0, 256 << 20, "response body size"))
    ->param(ParamSpec::choice("keepalive", {"on", "off"}, "on",
                              "on: requests reuse idle connections; off: one connection each"))
    ->param(ParamSpec::duration("timeout_ms", "ms", 0, 0, 600'000,
                                "give up on a connect or request after this long (0: never)"))
    ->needs(Fixture::delay_server);

}  // namespace concbench
