#include "primitives.hpp"

#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <span>
#include <thread>

#include "event.hpp"

namespace concbench::micro {

namespace {

using namespace std::chrono_literals;

/// Runs the one root task `body(io)` makes on `backend`; returns the run's error.
template <class Body>
std::string run_root(Backend& backend, Body body) {
    RunPlan plan;
    plan.tasks = 1;
    plan.concurrency = 1;
    plan.make_task = [&](Io& io, std::size_t) { return body(io); };
    const RunOutcome out = backend.run(plan);
    if (!out.error.empty()) return out.error;
    if (out.completed != 1) return "the root task did not finish";
    return {};
}

Task<void> nothing() {
    co_return;
}

Task<std::int64_t> value(std::int64_t v) {
    co_return v;
}

std::string spawn_join(Backend& backend, std::int64_t n, Clock& clock) {
    return run_root(backend, [&](Io& io) -> Task<void> {
        clock.start();
        for (std::int64_t i = 0; i < n; ++i) {
            Task<void> child = nothing();
            co_await io.join(std::span<Task<void>>(&child, 1));
        }
        clock.stop();
    });
}

std::string immediate_await(Backend& backend, std::int64_t n, Clock& clock) {
    return run_root(backend, [&](Io&) -> Task<void> {
        clock.start();
        std::int64_t sum = 0;
        for (std::int64_t i = 0; i < n; ++i) {
            sum += co_await value(i);
            benchmark::DoNotOptimize(sum);
        }
        clock.stop();
    });
}

std::string yield(Backend& backend, std::int64_t n, Clock& clock) {
    return run_root(backend, [&](Io& io) -> Task<void> {
        clock.start();
        for (std::int64_t i = 0; i < n; ++i) co_await io.yield();
        clock.stop();
    });
}

std::string sleep_zero(Backend& backend, std::int64_t n, Clock& clock) {
    return run_root(backend, [&](Io& io) -> Task<void> {
        clock.start();
        for (std::int64_t i = 0; i < n; ++i) co_await io.sleep(0ns);
        clock.stop();
    });
}

std::string timer(Backend& backend, std::int64_t n, Clock& clock) {
    return run_root(backend, [&](Io& io) -> Task<void> {
        clock.start();
        for (std::int64_t i = 0; i < n; ++i) co_await io.sleep(1us);
        clock.stop();
    });
}

std::string cross_thread_wake(Backend& backend, std::int64_t n, Clock& clock) {
    // A plain thread outside the backend wakes the task, then waits for its answer: one
    // operation is a round trip, a wake each way. One round before the clock starts, so
    // the waker thread's start is not counted.
    Event wake, answered;
    std::atomic<bool> abandoned{false};
    std::thread waker([&] {
        for (std::int64_t i = 0; i <= n && !abandoned.load(); ++i) {
            wake.set();
            answered.wait_blocking();
            answered.reset();
        }
    });
    std::string error = run_root(backend, [&](Io& io) -> Task<void> {
        for (std::int64_t i = 0; i <= n; ++i) {
            co_await io.wait(wake);
            wake.reset();
            if (i == 0) clock.start();
            answered.set();
        }
        clock.stop();
    });
    if (!error.empty()) {  // the task may not have run: let the waker go
        abandoned = true;
        answered.set();
    }
    waker.join();
    return error;
}

std::string offload(Backend& backend, std::int64_t n, Clock& clock) {
    return run_root(backend, [&](Io& io) -> Task<void> {
        clock.start();
        std::int64_t sum = 0;
        for (std::int64_t i = 0; i < n; ++i) {
            sum += co_await io.offload([i] { return i; });
            benchmark::DoNotOptimize(sum);
        }
        clock.stop();
    });
}

std::string ping_pong(Backend& backend, std::int64_t n, Clock& clock) {
    // One round before the clock starts, so starting the two children is not counted.
    Event ping, pong;
    return run_root(backend, [&](Io& io) -> Task<void> {
        auto left = [&]() -> Task<void> {
            for (std::int64_t i = 0; i <= n; ++i) {
                if (i == 1) clock.start();
                ping.set();
                co_await io.wait(pong);
                pong.reset();
            }
            clock.stop();
        };
        auto right = [&]() -> Task<void> {
            for (std::int64_t i = 0; i <= n; ++i) {
                co_await io.wait(ping);
                ping.reset();
                pong.set();
            }
        };
        std::vector<Task<void>> children;
        children.push_back(left());
        children.push_back(right());
        co_await io.join(children);
    });
}

}  // namespace

const std::vector<Primitive>& primitives() {
    static const std::vector<Primitive> all = {
        {"spawn_join", "make an empty child task and join it (a join of one)", false, false,
         &spawn_join},
        {"immediate_await", "await a task that returns at once (a chain of one)", false, false,
         &immediate_await},
        {"yield", "io.yield(): let the other ready tasks run, then go on", false, false, &yield},
        {"sleep_zero", "io.sleep(0): a sleep that is due at once", false, false, &sleep_zero},
        {"timer", "io.sleep(1us): a timer armed and fired (the wait itself included)", false,
         false, &timer},
        {"cross_thread_wake",
         "a thread outside the backend sets an Event the task waits on, and the task answers "
         "(a wake each way)",
         false, false, &cross_thread_wake},
        {"offload", "io.offload() of a function that returns its argument", false, true,
         &offload},
        {"ping_pong",
         "two children of one join wake each other through two Events (one round trip)", true,
         false, &ping_pong},
    };
    return all;
}

}  // namespace concbench::micro
