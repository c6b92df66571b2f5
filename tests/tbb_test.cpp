// The tbb backend's join (children as tasks of a task_group, the parent waiting by running
// tasks) and offload=tbb on the async backends (the work on the arena, the task back on its
// loop).
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>

#include "backend.hpp"
#include "backend_cases.hpp"
#include "nested_join.hpp"

namespace concbench {
namespace {

std::vector<std::int64_t> run_trees(Backend& backend, std::size_t roots, int depth, int fanout,
                                    TreeThreads& where) {
    std::vector<std::int64_t> leaves(roots, 0);
    RunPlan plan;
    plan.tasks = roots;
    plan.concurrency = roots;
    plan.make_task = [&](Io& io, std::size_t i) -> Task<void> {
        leaves[i] = co_await join_tree(io, depth, fanout, where);
    };
    const RunOutcome out = backend.run(plan);
    EXPECT_EQ(out.error, "");
    EXPECT_EQ(out.completed, roots);
    return leaves;
}

TEST(Tbb, NestedJoinsFinishOnAnArenaOfOneThread) {
    // The only thread waits in task_group::wait(), which runs the children itself.
    auto tbb = make_backend({"tbb", {{"threads", std::int64_t{1}}}});
    TreeThreads where;
    EXPECT_EQ(run_trees(*tbb, 3, 4, 3, where), (std::vector<std::int64_t>{81, 81, 81}));
    EXPECT_EQ(where.ids.size(), 1u);
}

TEST(Tbb, NestedJoinsFinishWhenEveryThreadWaits) {
    auto tbb = make_backend({"tbb", {{"threads", std::int64_t{2}}}});
    TreeThreads where;
    EXPECT_EQ(run_trees(*tbb, 4, 4, 3, where), (std::vector<std::int64_t>{81, 81, 81, 81}));
    EXPECT_LE(where.ids.size(), 2u);
}

TEST(Tbb, ChildExceptionsReachTheParentThroughNestedJoins) {
    auto tbb = make_backend({"tbb", {{"threads", std::int64_t{2}}}});
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
    EXPECT_EQ(tbb->run(plan).error, "");
    EXPECT_EQ(caught, "deep child failed");
}

TEST(Tbb, ParallelismIsTheArenaBoundedByCores) {
    EXPECT_EQ(make_backend({"tbb", {{"threads", std::int64_t{1}}}})->parallelism(8), 1u);
    // Made after the first is gone: oneTBB's worker limit is the smallest of those alive.
    auto wide = make_backend({"tbb", {{"threads", std::int64_t{64}}}});
    EXPECT_EQ(wide->parallelism(8), std::min<std::size_t>(8, hardware_threads()));
}

class OffloadTbb : public testing::TestWithParam<std::string> {};

TEST_P(OffloadTbb, WorkRunsOffTheLoopAndTheTaskResumesOnIt) {
    auto backend = make_backend({GetParam(), {{"offload", std::string("tbb")}}});
    ASSERT_NE(backend, nullptr);
    std::mutex m;
    std::set<std::thread::id> loop, work;
    std::atomic<int> sum{0};
    RunPlan plan;
    plan.tasks = 16;
    plan.concurrency = 16;
    plan.make_task = [&](Io& io, std::size_t i) -> Task<void> {
        {
            std::lock_guard lock(m);
            loop.insert(std::this_thread::get_id());
        }
        sum += co_await io.offload([&, i] {
            std::lock_guard lock(m);
            work.insert(std::this_thread::get_id());
            return static_cast<int>(i);
        });
        std::lock_guard lock(m);
        loop.insert(std::this_thread::get_id());  // resumed on a loop thread, not the arena's
    };
    const RunOutcome out = backend->run(plan);
    EXPECT_EQ(out.error, "");
    EXPECT_EQ(sum.load(), 120);
    for (const auto& id : work) EXPECT_EQ(loop.count(id), 0u) << "work ran on a loop thread";
    if (GetParam() == "async") {
        EXPECT_EQ(loop.size(), 1u);
    }
}

TEST_P(OffloadTbb, ExceptionsFromTheWorkReachTheTask) {
    auto backend = make_backend({GetParam(), {{"offload", std::string("tbb")}}});
    std::atomic<int> thrown{0};
    RunPlan plan;
    plan.tasks = 4;
    plan.concurrency = 4;
    plan.make_task = [&](Io& io, std::size_t) -> Task<void> {
        try {
            co_await io.offload([] { throw std::logic_error("bad work"); });
        } catch (const std::logic_error&) {
            ++thrown;
        }
    };
    EXPECT_EQ(backend->run(plan).error, "");
    EXPECT_EQ(thrown.load(), 4);
}

INSTANTIATE_TEST_SUITE_P(AsyncBackends, OffloadTbb, testing::Values("async", "async-mt"),
                         [](const auto& info) {
                             return info.param == "async" ? std::string("async")
                                                          : std::string("async_mt");
                         });

}  // namespace
}  // namespace concbench
