// Whether a backend runs the children of one join concurrently, found by running it: the
// question a ping-pong between two children (each waiting for the other) depends on. On
// sync they run one after another, so such a ping-pong would wait forever; elsewhere they
// interleave (async) or run side by side (threads). A backend needs to declare nothing.
#pragma once

#include <atomic>
#include <chrono>
#include <vector>

#include "backend.hpp"

namespace concbench {

/// Runs one join of two children on `backend`: the first waits (yielding and sleeping in
/// turns, at most `patience`) for the second to start. True if it did start meanwhile. On
/// a backend where it cannot, this takes `patience`.
inline bool join_children_run_concurrently(
    Backend& backend, std::chrono::milliseconds patience = std::chrono::milliseconds(500)) {
    std::atomic<bool> second_started{false}, seen{false};
    RunPlan plan;
    plan.tasks = 1;
    plan.concurrency = 1;
    plan.make_task = [&](Io& io, std::size_t) -> Task<void> {
        auto first = [&]() -> Task<void> {
            const auto until = std::chrono::steady_clock::now() + patience;
            while (!second_started.load() && std::chrono::steady_clock::now() < until) {
                co_await io.yield();
                co_await io.sleep(std::chrono::microseconds(200));
            }
            seen = second_started.load();
        };
        auto second = [&]() -> Task<void> {
            second_started = true;
            co_return;
        };
        std::vector<Task<void>> children;
        children.push_back(first());
        children.push_back(second());
        co_await io.join(children);
    };
    const RunOutcome out = backend.run(plan);
    return out.error.empty() && out.completed == 1 && seen.load();
}

}  // namespace concbench
