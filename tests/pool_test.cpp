// The pool backend's join: children go to idle workers or run inline, so nested joins finish
// even when every worker is waiting on a join.
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>

#include "backend.hpp"
#include "backend_cases.hpp"
#include "nested_join.hpp"

namespace concbench {
namespace {

/// Runs `roots` root tasks, all in flight, each a join tree; returns the leaves each counted.
std::vector<std::int64_t> run_trees(Backend& backend, std::size_t roots, int depth, int fanout,
                                    TreeThreads& where, RunOutcome* outcome = nullptr) {
    std::vector<std::int64_t> leaves(roots, 0);
    RunPlan plan;
    plan.tasks = roots;
    plan.concurrency = roots;
    plan.make_task = [&](Io& io, std::size_t i) -> Task<void> {
        leaves[i] = co_await join_tree(io, depth, fanout, where);
    };
    RunOutcome out = backend.run(plan);
    EXPECT_EQ(out.error, "");
    EXPECT_EQ(out.completed, roots);
    if (outcome) *outcome = out;
    return leaves;
}

TEST(Pool, NestedJoinsFinishOnOneThread) {
    // One worker, which is always busy: every child runs inline on it, five levels deep.
    auto pool = make_backend({"pool", {{"threads", std::int64_t{1}}}});
    TreeThreads where;
    EXPECT_EQ(run_trees(*pool, 3, 5, 3, where), (std::vector<std::int64_t>{243, 243, 243}));
    EXPECT_EQ(where.ids.size(), 1u);
    EXPECT_EQ(where.ids.count(std::this_thread::get_id()), 0u);  // the pool's, not the caller's
}

TEST(Pool, NestedJoinsFinishWhenEveryWorkerWaits) {
    // As many roots as workers: each worker is inside a join, none is idle, so the children
    // that find no idle worker run inline; a pool that queued them would wait forever.
    auto pool = make_backend({"pool", {{"threads", std::int64_t{2}}}});
    TreeThreads where;
    EXPECT_EQ(run_trees(*pool, 2, 4, 3, where), (std::vector<std::int64_t>{81, 81}));
    EXPECT_LE(where.ids.size(), 2u);
}

TEST(Pool, NestedJoinsUseIdleWorkersAndOnlyThem) {
    // One root on a pool of 4: its children may go to the three idle workers; nothing runs
    // on a thread outside the pool, and every leaf is counted.
    auto pool = make_backend({"pool", {{"threads", std::int64_t{4}}}});
    TreeThreads where;
    for (int round = 0; round < 3; ++round)
        EXPECT_EQ(run_trees(*pool, 1, 4, 4, where), (std::vector<std::int64_t>{256}));
    EXPECT_LE(where.ids.size(), 4u);
    EXPECT_EQ(where.ids.count(std::this_thread::get_id()), 0u);
}

TEST(Pool, ChildrenRunConcurrentlyWhenAWorkerIsIdle) {
    // Two children of one root on a pool of 2 wait for each other: possible only if the
    // first went to the idle worker while the root ran the second. After a run every worker
    // is idle again, so this holds on every round.
    auto pool = make_backend({"pool", {{"threads", std::int64_t{2}}}});
    for (int round = 0; round < 20; ++round) {
        std::atomic<int> arrived{0};
        std::atomic<bool> met{true};
        RunPlan plan;
        plan.tasks = 1;
        plan.concurrency = 1;
        plan.make_task = [&](Io& io, std::size_t) -> Task<void> {
            auto meet = [&]() -> Task<void> {
                ++arrived;
                // A bounded wait, so a pool that ran them one after another fails the test
                // instead of hanging it.
                const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
                while (arrived.load() < 2 && std::chrono::steady_clock::now() < until)
                    co_await io.sleep(std::chrono::microseconds(100));
                if (arrived.load() < 2) met = false;
            };
            std::vector<Task<void>> children;
            children.push_back(meet());
            children.push_back(meet());
            co_await io.join(children);
        };
        const RunOutcome out = pool->run(plan);
        EXPECT_EQ(out.error, "");
        EXPECT_TRUE(met.load()) << "round " << round;
    }
}

TEST(Pool, ChildExceptionsReachTheParentThroughNestedJoins) {
    auto pool = make_backend({"pool", {{"threads", std::int64_t{2}}}});
    std::string caught;
    RunPlan plan;
    plan.tasks = 1;
    plan.concurrency = 1;
    plan.make_task = [&](Io& io, std::size_t) -> Task<void> {
        auto leaf = [&](bool fail) -> Task<void> {
            co_await io.sleep(std::chrono::milliseconds(1));
            if (fail) throw std::runtime_error("deep child failed");
        };
        auto middle = [&]() -> Task<void> {
            std::vector<Task<void>> kids;
            kids.push_back(leaf(false));
            kids.push_back(leaf(true));
            kids.push_back(leaf(false));
            co_await io.join(kids);
        };
        std::vector<Task<void>> kids;
        kids.push_back(middle());
        kids.push_back(middle());
        try {
            co_await io.join(kids);
        } catch (const std::exception& e) {
            caught = e.what();
        }
    };
    EXPECT_EQ(pool->run(plan).error, "");
    EXPECT_EQ(caught, "deep child failed");
}

TEST(Pool, QueuesRootTasksBeyondItsThreads) {
    // 12 sleeping roots, all allowed in flight, on 3 workers: at most 3 run at once.
    auto pool = make_backend({"pool", {{"threads", std::int64_t{3}}}});
    std::atomic<int> running{0}, peak{0};
    RunPlan plan;
    plan.tasks = 12;
    plan.concurrency = 12;
    plan.make_task = [&](Io& io, std::size_t) -> Task<void> {
        const int now = ++running;
        int seen = peak.load();
        while (now > seen && !peak.compare_exchange_weak(seen, now)) {
        }
        co_await io.sleep(std::chrono::milliseconds(5));
        --running;
    };
    const RunOutcome out = pool->run(plan);
    EXPECT_EQ(out.completed, 12u);
    EXPECT_EQ(peak.load(), 3);
    EXPECT_EQ(pool->parallelism(12), std::min<std::size_t>(3, hardware_threads()));
}

}  // namespace
}  // namespace concbench
