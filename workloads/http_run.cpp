#include "http_run.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "limits.hpp"
#include "run_plan.hpp"

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
/// The `path` that asks the delay server for delay_ms and body_bytes.
constexpr const char* kDelayPath = "auto";
/// What the valid values of `expect` are, for error messages.
constexpr const char* kExpectValid = "bytes, status or length=N (N: 0..268435456)";
/// How much longer than expected a body may be and still be read (and reported as wrong)
/// rather than refused before the client holds it.
constexpr std::uint64_t kBodyMargin = 64 << 10;

}  // namespace

HttpRun::HttpRun(const Params& p, const RunContext& ctx)
    : requests_(static_cast<std::size_t>(p.integer("requests"))),
      delay_(p.duration("delay_ms")),
      keepalive_(p.choice("keepalive") == "on"),
      timeout_(std::chrono::duration_cast<std::chrono::milliseconds>(p.duration("timeout_ms"))),
      delay_path_(p.text("path") == kDelayPath),
      path_(delay_path_ ? fmt::format("/delay/{}/bytes/{}", p.integer("delay_ms"),
                                      p.integer("body_bytes"))
                        : p.text("path")),
      endpoint_(ctx.server()) {
    if (!delay_path_ && (path_.empty() || path_[0] != '/'))
        throw std::invalid_argument(fmt::format(
            "path={}: not a path; valid is {} (the delay server's) or one starting with /",
            path_, kDelayPath));
    const std::string& expect = p.text("expect");
    if (expect == "bytes") {
        expect_ = Expect::bytes;
        expected_ = deterministic_body(static_cast<std::size_t>(p.integer("body_bytes")));
        max_body_ = expected_.size() + kBodyMargin;
    } else if (expect == "status") {
        expect_ = Expect::status;
        max_body_ = kDefaultMaxBody;
    } else if (expect.starts_with("length=")) {
        const auto n = parse_decimal(std::string_view(expect).substr(7));
        if (!n || *n < 0 || *n > (256 << 20))
            throw std::invalid_argument(
                fmt::format("expect={}: not a length; valid is {}", expect, kExpectValid));
        expect_ = Expect::length;
        expected_len_ = static_cast<std::uint64_t>(*n);
        max_body_ = expected_len_ + kBodyMargin;
    } else {
        throw std::invalid_argument(
            fmt::format("expect={}: unknown; valid is {}", expect, kExpectValid));
    }
    concurrency_ = RunPlan::clamp_concurrency(requests_, p.integer("concurrency"));
    ensure_open_files(concurrency_);
}

Task<void> HttpRun::task(Io& io, std::size_t i) {
    std::unique_ptr<HttpConnection> conn = keepalive_ ? take_idle() : nullptr;
    std::optional<Failure> failed;
    std::string wrong;
    bool reusable = false;  // only a complete response that keeps the connection open
    try {
        if (!conn) conn = co_await io.net().connect(endpoint_, timeout_);
        const HttpResponse r = co_await io.net().http_get(*conn, path_, keepalive_, max_body_);
        reusable = r.reusable;
        if (r.status != 200)
            failed = Failure{kHttpStatus, fmt::format("HTTP status {}", r.status)};
        else
            wrong = wrong_body(r.body);
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
        // An error status came in a complete response: the connection is fine if the server
        // kept it. After any other failure it is dropped, its state unknown.
        if (reusable && failed && failed->kind == kHttpStatus) give_back(std::move(conn));
        co_return;
    }
    // Back to the pool before the work that follows, as a server's client library would.
    if (reusable) give_back(std::move(conn));
    co_await after_response(io, i);
    ok_.fetch_add(1, std::memory_order_relaxed);
}

std::string HttpRun::wrong_body(const std::string& body) const {
    switch (expect_) {
        case Expect::bytes:
            if (body == expected_) return {};
            return fmt::format("a body of {} bytes that differs from the {} expected{}",
                               body.size(), expected_.size(),
                               delay_path_ ? "" : " (for a server of your own, use "
                                                  "expect=status or expect=length=N)");
        case Expect::status:
            return {};
        case Expect::length:
            if (body.size() == expected_len_) return {};
            return fmt::format("a body of {} bytes, expected {}", body.size(), expected_len_);
    }
    return {};
}

OpErrors HttpRun::errors() const {
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

std::string HttpRun::validate() const {
    std::lock_guard lock(m_);
    if (std::string s = summary(wrong_, "responses were wrong"); !s.empty()) return s;
    std::size_t failed = 0;
    for (const auto& [failure, n] : failures_) failed += n;
    if (ok_ + failed != requests_)
        return fmt::format("{} of {} requests succeeded and {} failed", ok_.load(), requests_,
                           failed);
    return {};
}

std::optional<double> HttpRun::ideal_wall_s(const Shape& s) const {
    // No lower bound but the machine's speed without a delay, or from a server of one's own.
    if (delay_.count() == 0 || !delay_path_) return std::nullopt;
    const std::size_t waves = (s.tasks + s.concurrency - 1) / s.concurrency;
    return static_cast<double>(waves) * std::chrono::duration<double>(delay_).count();
}

std::unique_ptr<HttpConnection> HttpRun::take_idle() {
    std::lock_guard lock(m_);
    if (idle_.empty()) return nullptr;
    auto c = std::move(idle_.back());
    idle_.pop_back();
    return c;
}

void HttpRun::give_back(std::unique_ptr<HttpConnection> c) {
    std::lock_guard lock(m_);
    idle_.push_back(std::move(c));
}

/// "37 of 1000 requests failed: connection refused (127.0.0.1:8080)"; several reasons are
/// listed most frequent first with their counts. Called with m_ held.
std::string HttpRun::summary(const Reasons& reasons, std::string_view what) const {
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

WorkloadDef* HttpRun::declare(WorkloadDef* def) {
    return def->param(ParamSpec::integer("requests", 1000, 1, 10'000'000, "requests to make"))
        ->param(ParamSpec::duration("delay_ms", "ms", 0, 0, 600'000,
                                    "server-side delay per request (path=auto)"))
        ->param(ParamSpec::integer("body_bytes", 100, 0, 256 << 20,
                                   "response body size (path=auto, expect=bytes)"))
        ->param(ParamSpec::choice("keepalive", {"on", "off"}, "on",
                                  "on: requests reuse idle connections; off: one connection each"))
        ->param(ParamSpec::duration("timeout_ms", "ms", 0, 0, 600'000,
                                    "give up on a connect or request after this long (0: never)"))
        ->param(ParamSpec::text("path", kDelayPath,
                                "the path to GET: auto (the delay server's for delay_ms and "
                                "body_bytes) or one starting with / on a server of your own"))
        ->param(ParamSpec::text("expect", "bytes",
                                "a right answer: bytes (status 200 and the delay server's body "
                                "of body_bytes), status (200, any body) or length=N (200, a "
                                "body of N bytes)"))
        ->needs(Fixture::delay_server);
}

}  // namespace concbench
