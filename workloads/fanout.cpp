// fanout: each root task starts `k` concurrent children, each waiting a delay of its own (a
// sleep, or a GET to the delay server), and waits for them in one of three ways:
//   join     all of them;
//   race     the first to finish, which stops the others;
//   timeout  all of them, but no longer than `deadline_ms`: what is left then is stopped.
// Child j waits delay_ms + j * spread_ms, so with spread_ms > 0 child 0 is the one fastest.
//
// Cancellation is a std::stop_source per root task, built on io.join() alone: in race the
// first child to finish records itself as the winner and requests stop; in timeout a timer
// child (first in the list, so that sync, which runs children one after another, starts the
// clock before anything else) sleeps until the deadline and then requests stop, and the last
// real child to finish stops the timer. The other children wait with the stop token
// (io.sleep(d, token), http_get(..., token)) and end early, counted as cancelled.
//
// Written against the plugin API only, as an out-of-tree workload would be.
#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <limits>
#include <map>
#include <mutex>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <vector>

#include "workload.hpp"

namespace concbench {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

enum class Mode { join, race, timeout };
enum class Op { sleep, http };
enum class Outcome { none, finished, cancelled, failed };

/// How late a wait may end and still count as on time: max(20 ms, half of it). A check of
/// correctness, not a measurement: loose enough for a loaded 2-core machine and sanitizers.
milliseconds tolerance(milliseconds d) {
    return std::max(milliseconds(20), d / 2);
}

/// Makes room for `needed` open files (one connection per child in flight), or says how.
void ensure_open_files(std::uint64_t needed) {
    rlimit lim{};
    if (getrlimit(RLIMIT_NOFILE, &lim) != 0 || lim.rlim_cur >= needed) return;
    if (lim.rlim_max != RLIM_INFINITY && lim.rlim_max < needed)
        throw std::runtime_error(fmt::format(
            "fanout with op=http needs about {} open files but the hard limit is {}: raise it "
            "(ulimit -Hn, as root) or lower concurrency or k",
            needed, lim.rlim_max));
    lim.rlim_cur = lim.rlim_max == RLIM_INFINITY ? needed : lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
}

class FanoutRun final : public WorkloadRun {
  public:
    FanoutRun(const Params& p, const RunContext& ctx)
        : tasks_(static_cast<std::size_t>(p.integer("tasks"))),
          k_(static_cast<std::size_t>(p.integer("k"))),
          mode_(p.choice("mode") == "join"   ? Mode::join
                : p.choice("mode") == "race" ? Mode::race
                                             : Mode::timeout),
          op_(p.choice("op") == "http" ? Op::http : Op::sleep),
          delay_(p.integer("delay_ms")),
          spread_(p.integer("spread_ms")),
          deadline_(p.integer("deadline_ms")) {
        if (op_ == Op::http) {
            server_ = ctx.server();
            const auto c = static_cast<std::uint64_t>(p.integer("concurrency"));
            const std::uint64_t in_flight = c == 0 ? tasks_ : std::min<std::uint64_t>(c, tasks_);
            ensure_open_files(in_flight * k_ + 64);  // + the process's own descriptors
        }
    }

    std::size_t tasks() const override { return tasks_; }

    Task<void> task(Io& io, std::size_t) override {
        Fan fan(k_);
        std::vector<Task<void>> children;
        children.reserve(k_ + 1);
        if (mode_ == Mode::timeout) children.push_back(timer(io, fan));
        for (std::size_t j = 0; j < k_; ++j) children.push_back(child(io, fan, j));
        const auto t0 = Clock::now();
        co_await io.join(children);
        check(fan, Clock::now() - t0);
    }

    std::string validate() const override {
        std::lock_guard lock(m_);
        if (roots_ != tasks_) return fmt::format("{} of {} root tasks ended", roots_, tasks_);
        if (wrong_ != 0)
            return fmt::format("{} of {} root tasks went wrong, the first: {}", wrong_, tasks_,
                               first_wrong_);
        return {};
    }

    OpErrors errors() const override {
        std::lock_guard lock(m_);
        OpErrors e;
        if (op_ != Op::http) return e;
        e.attempted = tasks_ * k_;
        std::uint64_t n = 0;
        for (const auto& [kind, count] : failures_) {
            e.by_kind[kind] += count;
            n += count;
        }
        if (n != 0)
            e.summary = fmt::format("{} of {} requests failed, the first: {}", n, e.attempted,
                                    first_failure_);
        return e;
    }

    /// Waves of root tasks, each as long as its mode waits: the slowest child (join), the
    /// fastest (race), the slowest or the deadline if sooner (timeout).
    std::optional<double> ideal_wall_s(const Shape& s) const override {
        const milliseconds per_root = mode_ == Mode::join   ? slowest()
                                      : mode_ == Mode::race ? delay_
                                                            : std::min(slowest(), deadline_);
        const std::size_t waves = (s.tasks + s.concurrency - 1) / s.concurrency;
        return static_cast<double>(waves) * std::chrono::duration<double>(per_root).count();
    }

  private:
    static constexpr std::size_t kNoWinner = std::numeric_limits<std::size_t>::max();

    /// One root task's fan: what its children share, in the root's frame (io.join keeps
    /// the root waiting until every child has ended).
    struct Fan {
        explicit Fan(std::size_t k) : outcome(k, Outcome::none), running(k) {}
        std::stop_source stop;
        std::vector<Outcome> outcome;  // child j writes only outcome[j]; read after the join
        std::atomic<std::size_t> winner{kNoWinner};
        std::atomic<std::size_t> running;  // real children not yet ended
    };

    milliseconds delay(std::size_t j) const { return delay_ + spread_ * static_cast<long>(j); }
    milliseconds slowest() const { return delay(k_ - 1); }

    Task<void> child(Io& io, Fan& fan, std::size_t j) {
        Outcome o = Outcome::cancelled;
        if (op_ == Op::sleep) {
            // Awaited into a variable, not in the condition: GCC 12 miscompiles a co_await
            // inside an if condition (an illegal instruction on some paths).
            const bool slept = co_await io.sleep(delay(j), fan.stop.get_token());
            if (slept) o = Outcome::finished;
        } else {
            o = co_await request(io, delay(j), fan.stop.get_token());
        }
        fan.outcome[j] = o;
        if (mode_ == Mode::race && o == Outcome::finished) {
            std::size_t none = kNoWinner;
            if (fan.winner.compare_exchange_strong(none, j, std::memory_order_acq_rel))
                fan.stop.request_stop();
        }
        // The last one stops the timer of timeout; in the other modes nothing is waiting.
        if (fan.running.fetch_sub(1, std::memory_order_acq_rel) == 1 && mode_ == Mode::timeout)
            fan.stop.request_stop();
    }

    /// timeout's clock: stops the children at the deadline unless they all ended before.
    Task<void> timer(Io& io, Fan& fan) {
        const bool slept = co_await io.sleep(deadline_, fan.stop.get_token());
        if (slept) fan.stop.request_stop();
    }

    /// GET /delay/<d> on a connection of its own. A child stopped before it connects does
    /// not connect (sync runs the losers of a race after the winner).
    Task<Outcome> request(Io& io, milliseconds d, std::stop_token stop) {
        if (stop.stop_requested()) co_return Outcome::cancelled;
        std::string failure_kind, failure;
        try {
            auto conn = co_await io.net().connect(server_, {}, Stoppable::yes);
            const HttpResponse r = co_await io.net().http_get(
                *conn, fmt::format("/delay/{}", d.count()), false, kMaxBody, stop);
            if (r.status == 200) co_return Outcome::finished;
            failure_kind = "http_status";
            failure = fmt::format("HTTP status {}", r.status);
        } catch (const RequestError& e) {
            if (e.kind == ErrorKind::cancelled) co_return Outcome::cancelled;
            failure_kind = to_string(e.kind);
            failure = e.what();
        }
        std::lock_guard lock(m_);
        if (first_failure_.empty()) first_failure_ = failure;
        ++failures_[failure_kind];
        co_return Outcome::failed;
    }

    /// Checks one root task's fan after the join; `wall`: how long the join took.
    void check(const Fan& fan, Clock::duration wall) {
        std::size_t finished = 0, cancelled = 0, failed = 0;
        for (Outcome o : fan.outcome) {
            finished += o == Outcome::finished;
            cancelled += o == Outcome::cancelled;
            failed += o == Outcome::failed;
        }
        std::string wrong;
        if (finished + cancelled + failed != k_)
            wrong = fmt::format("{} of {} children did not say how they ended",
                                k_ - finished - cancelled - failed, k_);
        else if (mode_ == Mode::join && cancelled != 0)
            wrong = fmt::format("join: {} of {} children were cancelled", cancelled, k_);
        else if (mode_ == Mode::race)
            wrong = check_race(fan);
        else if (mode_ == Mode::timeout && wall > deadline_ + tolerance(deadline_))
            wrong = fmt::format("timeout: returned after {} ms, the deadline being {} ms",
                                std::chrono::duration_cast<milliseconds>(wall).count(),
                                deadline_.count());
        std::lock_guard lock(m_);
        ++roots_;
        if (wrong.empty()) return;
        if (wrong_++ == 0) first_wrong_ = wrong;
    }

    /// One winner, no slower than the fastest child that did not fail (within tolerance),
    /// and every loser cancelled, failed, or finished before the stop could reach it (no
    /// slower than the winner, within tolerance).
    std::string check_race(const Fan& fan) const {
        const std::size_t w = fan.winner.load(std::memory_order_acquire);
        const auto failed = static_cast<std::size_t>(
            std::count(fan.outcome.begin(), fan.outcome.end(), Outcome::failed));
        if (w == kNoWinner)
            return failed == k_ ? std::string()  // all failed: counted as errors
                                : "race: no child won";
        std::size_t fastest = 0;
        while (fan.outcome[fastest] == Outcome::failed) ++fastest;  // delays grow with j
        if (delay(w) > delay(fastest) + tolerance(delay(fastest)))
            return fmt::format("race: the child of {} ms won, not the fastest ({} ms)",
                               delay(w).count(), delay(fastest).count());
        for (std::size_t j = 0; j < k_; ++j)
            if (j != w && fan.outcome[j] == Outcome::finished &&
                delay(j) > delay(w) + tolerance(delay(w)))
                return fmt::format(
                    "race: a loser of {} ms was not cancelled but finished (winner: {} ms)",
                    delay(j).count(), delay(w).count());
        return {};
    }

    static constexpr std::uint64_t kMaxBody = 1 << 10;  // /delay/<ms> answers an empty body

    std::size_t tasks_;
    std::size_t k_;
    Mode mode_;
    Op op_;
    milliseconds delay_;     // child 0's
    milliseconds spread_;    // added per child
    milliseconds deadline_;  // timeout only
    Endpoint server_;        // op=http only

    mutable std::mutex m_;
    std::size_t roots_ = 0;                          // guarded by m_
    std::size_t wrong_ = 0;                          // guarded by m_
    std::string first_wrong_;                        // guarded by m_
    std::map<std::string, std::uint64_t> failures_;  // guarded by m_: by kind
    std::string first_failure_;                      // guarded by m_
};

}  // namespace

CONCBENCH_WORKLOAD(fanout, FanoutRun)
    ->kind(Kind::io)
    ->description(
        "each task waits on `k` children (sleeps or delayed GETs): all of them (join), the "
        "first, stopping the rest (race), or all until a deadline (timeout)")
    ->param(ParamSpec::integer("tasks", 100, 1, 1'000'000, "root tasks"))
    ->param(ParamSpec::integer("k", 10, 1, 10'000, "children of each root task"))
    ->param(ParamSpec::choice("mode", {"join", "race", "timeout"}, "join",
                              "join: wait for all; race: for the first, stopping the rest; "
                              "timeout: for all until deadline_ms, stopping the rest"))
    ->param(ParamSpec::choice("op", {"sleep", "http"}, "sleep",
                              "what a child waits on: a sleep, or a GET /delay/<ms> to the "
                              "delay server on a connection of its own"))
    ->param(ParamSpec::duration("delay_ms", "ms", 100, 0, 600'000,
                                "the fastest child's delay (child 0)"))
    ->param(ParamSpec::duration("spread_ms", "ms", 10, 0, 60'000,
                                "added per child: child j waits delay_ms + j * spread_ms"))
    ->param(ParamSpec::duration("deadline_ms", "ms", 145, 0, 3'600'000,
                                "mode=timeout: how long a root task waits for its children"))
    ->needs(Fixture::delay_server)
    ->smoke({{"tasks", "4"}, {"k", "4"}, {"mode", "race"}, {"delay_ms", "1"}, {"spread_ms", "1"}});

}  // namespace concbench
