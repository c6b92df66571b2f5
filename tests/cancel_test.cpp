// Cancellation on every backend: sleeps and requests that a stop request cuts short, before
// or while they wait, from a sibling task or another thread; and the fanout workload's join,
// race and timeout, built on them, leaving no task, timer or socket behind.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <stop_token>
#include <thread>

#include "backend_cases.hpp"
#include "http_support.hpp"
#include "workload.hpp"

namespace concbench {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

/// Long enough that a wait which is not cut short makes the test fail (or time out) plainly.
constexpr auto kForever = 60s;

/// Requests stop on `source` from a thread of its own after `after`: a stop that comes
/// while the task is waiting, from outside the backend.
std::jthread stop_later(std::stop_source& source, Clock::duration after) {
    return std::jthread([&source, after] {
        std::this_thread::sleep_for(after);
        source.request_stop();
    });
}

/// Descriptors this process has open.
std::size_t open_files() {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/fd"))
        ++n;
    return n;
}

class Cancel : public testing::TestWithParam<BackendCase> {
  protected:
    /// Runs `body` as the only root task on this case's backend, to its end.
    void run_task(const std::function<Task<void>(Io&)>& body) const {
        auto backend = make_backend(GetParam());
        ASSERT_NE(backend, nullptr);
        RunPlan plan;
        plan.tasks = 1;
        plan.concurrency = 1;
        plan.make_task = [&](Io& io, std::size_t) { return body(io); };
        const RunOutcome out = backend->run(plan);
        EXPECT_EQ(out.error, "");
        EXPECT_EQ(out.completed, 1u);
        EXPECT_EQ(out.failed, 0u);
    }
};

TEST_P(Cancel, SleepStoppedBeforeItBeginsDoesNotWait) {
    std::stop_source source;
    source.request_stop();
    bool slept = true;
    run_task([&](Io& io) -> Task<void> { slept = co_await io.sleep(kForever, source.get_token()); });
    EXPECT_FALSE(slept);
}

TEST_P(Cancel, SleepStoppedFromAnotherThreadEndsEarly) {
    std::stop_source source;
    bool slept = true;
    const auto stopper = stop_later(source, 20ms);
    run_task([&](Io& io) -> Task<void> { slept = co_await io.sleep(kForever, source.get_token()); });
    EXPECT_FALSE(slept);
}

TEST_P(Cancel, SleepStoppedByASiblingEndsEarly) {
    std::stop_source source;
    bool long_slept = true;
    run_task([&](Io& io) -> Task<void> {
        std::vector<Task<void>> children;
        // First in the list, so that sync, which runs children in order, stops before the
        // second begins; the others stop it while it waits.
        children.push_back([](Io& io, std::stop_source& s) -> Task<void> {
            co_await io.sleep(1ms);
            s.request_stop();
        }(io, source));
        children.push_back([](Io& io, std::stop_token t, bool& out) -> Task<void> {
            out = co_await io.sleep(kForever, t);
        }(io, source.get_token(), long_slept));
        co_await io.join(children);
    });
    EXPECT_FALSE(long_slept);
}

TEST_P(Cancel, SleepNotStoppedWaitsItsTime) {
    std::stop_source source;
    bool slept = false;
    Clock::duration took{};
    run_task([&](Io& io) -> Task<void> {
        const auto t0 = Clock::now();
        slept = co_await io.sleep(5ms, source.get_token());
        took = Clock::now() - t0;
    });
    EXPECT_TRUE(slept);
    EXPECT_GE(took, 5ms);  // never early: not a timing bound
}

INSTANTIATE_TEST_SUITE_P(EveryBackend, Cancel, testing::ValuesIn(backend_cases()),
                         [](const auto& info) { return case_name(info.param); });

/// The requests (and the fanout workload) on each backend at its defaults.
class CancelHttp : public Cancel {
  protected:
    /// The kind of the RequestError that a GET of `target` with `stop` ended with, or "ok".
    std::string get(const std::string& target, std::stop_source& source, Stoppable stoppable,
                    std::function<void()> before = {}) const {
        std::string result = "not run";
        run_task([&](Io& io) -> Task<void> {
            auto conn = co_await io.net().connect(server_.endpoint(), {}, stoppable);
            if (before) before();
            try {
                const HttpResponse r =
                    co_await io.net().http_get(*conn, target, false, 1024, source.get_token());
                result = r.status == 200 ? "ok" : "status " + std::to_string(r.status);
            } catch (const RequestError& e) {
                result = to_string(e.kind);
            } catch (const std::logic_error& e) {
                result = std::string("logic_error: ") + e.what();
            }
        });
        return result;
    }

    LocalServer server_;
};

TEST_P(CancelHttp, ARequestStoppedWhileWaitingIsCancelled) {
    std::stop_source source;
    std::jthread stopper;
    EXPECT_EQ(get("/delay/60000", source, Stoppable::yes,
                  [&] { stopper = stop_later(source, 20ms); }),
              "cancelled");
}

TEST_P(CancelHttp, ARequestStoppedBeforeItBeginsSendsNothing) {
    std::stop_source source;
    source.request_stop();
    EXPECT_EQ(get("/delay/60000", source, Stoppable::yes), "cancelled");
    EXPECT_EQ(server_.stats().requests.load(), 0u);
}

TEST_P(CancelHttp, ARequestThatIsNotStoppedIsAnswered) {
    std::stop_source source;
    EXPECT_EQ(get("/delay/1", source, Stoppable::yes), "ok");
}

TEST_P(CancelHttp, AStopTokenNeedsAStoppableConnection) {
    std::stop_source source;
    EXPECT_EQ(get("/delay/1", source, Stoppable::no).rfind("logic_error: ", 0), 0u);
}

/// `c` with enough threads, where its backend has a `threads` parameter, for every task
/// and child of a small fan to block one at once. A race or a deadline over blocking children
/// is honoured only if they all run at once: tbb, whose workers are as many as the cores by
/// default, runs the rest when a worker comes free (fanout then says the race or the
/// deadline was missed, as a run of the bench would).
BackendCase with_threads_for_every_child(BackendCase c) {
    const BackendDef* def = find_backend(c.backend);
    for (const auto& spec : def ? def->params() : std::vector<ParamSpec>{})
        if (spec.name == "threads" && !c.params.contains("threads") && spec.accepts(32))
            c.params["threads"] = std::int64_t{32};
    return c;
}

/// Runs fanout with `given` on the backend of `c` against `server`; returns its validation,
/// or its counted errors if any.
std::string run_fanout(const BackendCase& c, const Endpoint& server,
                       std::map<std::string, ParamValue> given) {
    const WorkloadDef* def = find_workload("fanout");
    if (def == nullptr) return "fanout is not registered";
    const Params p(def->params(), given);
    RunContext ctx;
    ctx.delay_server = server;
    auto run = def->make(p, ctx);
    RunPlan plan;
    plan.tasks = run->tasks();
    plan.concurrency = plan.tasks;
    plan.make_task = [&](Io& io, std::size_t i) { return run->task(io, i); };
    const RunOutcome out = make_backend(with_threads_for_every_child(c))->run(plan);
    if (!out.error.empty()) return out.error;
    if (out.completed != plan.tasks) return "not every root task completed";
    if (const OpErrors e = run->errors(); e.total() != 0) return e.summary;
    return run->validate();
}

/// Small fans whose losers would wait 5 s and more: a race or timeout validates only if
/// they were cancelled (a loser that finished, or a late return, is a validation error).
std::map<std::string, ParamValue> fan(const std::string& mode, const std::string& op) {
    return {{"tasks", std::int64_t{3}},     {"k", std::int64_t{4}},
            {"mode", mode},                 {"op", op},
            {"delay_ms", std::int64_t{1}},  {"spread_ms", std::int64_t{mode == "join" ? 5 : 5000}},
            {"deadline_ms", std::int64_t{100}}};
}

TEST_P(CancelHttp, FanoutValidatesInEveryMode) {
    for (const char* op : {"sleep", "http"})
        for (const char* mode : {"join", "race", "timeout"})
            EXPECT_EQ(run_fanout(GetParam(), server_.endpoint(), fan(mode, op)), "")
                << op << " " << mode;
}

TEST_P(CancelHttp, RaceAndTimeoutLeaveNoSocketBehind) {
    // A server of its own each time, gone before counting: the server holds its side of a
    // cancelled request until its delay ends.
    const auto fanout_with_server = [&](const std::string& mode) {
        LocalServer server;
        return run_fanout(GetParam(), server.endpoint(), fan(mode, "http"));
    };
    EXPECT_EQ(fanout_with_server("join"), "");  // whatever is opened once is open now
    for (const char* mode : {"race", "timeout"}) {
        const std::size_t before = open_files();
        EXPECT_EQ(fanout_with_server(mode), "") << mode;
        EXPECT_EQ(open_files(), before) << mode;
    }
}

INSTANTIATE_TEST_SUITE_P(EveryBackend, CancelHttp, testing::ValuesIn(default_backend_cases()),
                         [](const auto& info) { return case_name(info.param); });

TEST(Fanout, IdealWallIsWhatEachModeWaitsFor) {
    const WorkloadDef* def = find_workload("fanout");
    ASSERT_NE(def, nullptr);
    const Shape one{1, 1, 1};
    const auto ideal = [&](const std::string& mode) {
        return *def->make(Params(def->params(), {{"k", std::int64_t{3}},
                                                 {"mode", mode},
                                                 {"delay_ms", std::int64_t{10}},
                                                 {"spread_ms", std::int64_t{10}},
                                                 {"deadline_ms", std::int64_t{25}}}))
                    ->ideal_wall_s(one);
    };
    EXPECT_DOUBLE_EQ(ideal("join"), 0.030);     // children of 10, 20 and 30 ms
    EXPECT_DOUBLE_EQ(ideal("race"), 0.010);     // the fastest
    EXPECT_DOUBLE_EQ(ideal("timeout"), 0.025);  // the deadline, sooner than the slowest
}

}  // namespace
}  // namespace concbench
