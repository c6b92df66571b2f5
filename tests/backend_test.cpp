// Every backend runs the same coroutines: results, concurrency limits, children, errors.
#include "backend.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "backend_cases.hpp"
#include "workload.hpp"

namespace concbench {
namespace {

using namespace std::chrono_literals;

class EveryBackend : public testing::TestWithParam<BackendCase> {
  protected:
    std::unique_ptr<Backend> make() const {
        auto backend = make_backend(GetParam());
        EXPECT_NE(backend, nullptr);
        return backend;
    }

    /// Runs a registered workload with `given` parameters and returns its validation.
    std::string run_workload(const std::string& name, std::map<std::string, ParamValue> given,
                             RunOutcome* outcome = nullptr) const {
        const WorkloadDef* def = find_workload(name);
        EXPECT_NE(def, nullptr);
        const Params p(def->params(), given);
        auto run = def->make(p);
        RunPlan plan;
        plan.tasks = run->tasks();
        plan.concurrency = RunPlan::clamp_concurrency(plan.tasks, p.integer("concurrency"));
        plan.make_task = [&](Io& io, std::size_t i) { return run->task(io, i); };
        RunOutcome out = make()->run(plan);
        EXPECT_EQ(out.error, "");
        EXPECT_EQ(out.completed, plan.tasks);
        EXPECT_EQ(out.task_seconds.size(), plan.tasks);
        if (outcome) *outcome = out;
        return run->validate();
    }
};

TEST_P(EveryBackend, SleepWorkloadValidates) {
    RunOutcome out;
    EXPECT_EQ(run_workload("sleep", {{"tasks", std::int64_t{20}}, {"ms", std::int64_t{5}}}, &out),
              "");
    for (double s : out.task_seconds) EXPECT_GE(s, 0.005);
}

TEST_P(EveryBackend, CpuWorkloadValidates) {
    EXPECT_EQ(run_workload("cpu", {{"tasks", std::int64_t{6}}, {"work", std::int64_t{2}}}), "");
}

TEST_P(EveryBackend, HonoursTheConcurrencyLimit) {
    for (std::size_t limit : {1u, 3u, 8u}) {
        std::atomic<int> in_flight{0}, peak{0};
        RunPlan plan;
        plan.tasks = 24;
        plan.concurrency = limit;
        plan.make_task = [&](Io& io, std::size_t) -> Task<void> {
            const int now = ++in_flight;
            int seen = peak.load();
            while (now > seen && !peak.compare_exchange_weak(seen, now)) {
            }
            co_await io.sleep(10ms);
            --in_flight;
        };
        RunOutcome out = make()->run(plan);
        EXPECT_EQ(out.completed, 24u);
        EXPECT_LE(peak.load(), static_cast<int>(limit)) << "limit " << limit;
        // Where sleeps block a fixed set of threads (sync's one, pool, tbb), no more than
        // those are in flight whatever the limit; the others reach it.
        EXPECT_EQ(peak.load(), static_cast<int>(reachable_in_flight(GetParam(), limit)))
            << "limit " << limit;
    }
}

TEST_P(EveryBackend, JoinsChildrenAndCollectsTheirResults) {
    std::atomic<int> children_running{0}, most_children{0};
    std::vector<int> sums(3, 0);
    RunPlan plan;
    plan.tasks = 3;
    plan.concurrency = 3;
    plan.make_task = [&](Io& io, std::size_t i) -> Task<void> {
        auto child = [&](int k) -> Task<int> {
            const int now = ++children_running;
            int seen = most_children.load();
            while (now > seen && !most_children.compare_exchange_weak(seen, now)) {
            }
            co_await io.sleep(20ms);
            --children_running;
            co_return k;
        };
        std::vector<Task<int>> kids;
        for (int k = 1; k <= 4; ++k) kids.push_back(child(k));
        std::vector<int> got = co_await io.join_all(std::move(kids));
        for (int v : got) sums[i] += v;
        EXPECT_EQ(got, (std::vector<int>{1, 2, 3, 4}));
    };
    RunOutcome out = make()->run(plan);
    EXPECT_EQ(out.error, "");
    EXPECT_EQ(sums, (std::vector<int>{10, 10, 10}));
    if (GetParam().backend == "sync") {
        EXPECT_EQ(most_children.load(), 1);  // one after another
    } else {
        EXPECT_GT(most_children.load(), 1);  // concurrently
    }
}

TEST_P(EveryBackend, ChildExceptionReachesTheParent) {
    RunPlan plan;
    plan.tasks = 1;
    plan.concurrency = 1;
    std::string caught;
    plan.make_task = [&](Io& io, std::size_t) -> Task<void> {
        auto ok = [&]() -> Task<void> { co_await io.sleep(1ms); };
        auto bad = [&]() -> Task<void> {
            co_await io.sleep(1ms);
            throw std::runtime_error("child failed");
        };
        std::vector<Task<void>> kids;
        kids.push_back(ok());
        kids.push_back(bad());
        try {
            co_await io.join_all(std::move(kids));
        } catch (const std::exception& e) {
            caught = e.what();
        }
    };
    make()->run(plan);
    EXPECT_EQ(caught, "child failed");
}

TEST_P(EveryBackend, RootExceptionsBecomeTheRunError) {
    RunPlan plan;
    plan.tasks = 10;
    plan.concurrency = 4;
    plan.make_task = [&](Io& io, std::size_t i) -> Task<void> {
        co_await io.sleep(1ms);
        if (i == 7) throw std::runtime_error("task seven broke");
    };
    RunOutcome out = make()->run(plan);
    EXPECT_EQ(out.completed, 9u);
    EXPECT_EQ(out.failed, 1u);
    EXPECT_EQ(out.error, "1 of 10 tasks failed; first: task 7: task seven broke");
}

TEST_P(EveryBackend, OffloadReturnsValuesAndExceptions) {
    RunPlan plan;
    plan.tasks = 8;
    plan.concurrency = 8;
    std::atomic<int> total{0};
    std::atomic<int> thrown{0};
    plan.make_task = [&](Io& io, std::size_t i) -> Task<void> {
        total += co_await io.offload([i] { return static_cast<int>(i); });
        try {
            co_await io.offload([] { throw std::logic_error("bad work"); });
        } catch (const std::logic_error&) {
            ++thrown;
        }
    };
    RunOutcome out = make()->run(plan);
    EXPECT_EQ(out.error, "");
    EXPECT_EQ(total.load(), 28);
    EXPECT_EQ(thrown.load(), 8);
}

TEST_P(EveryBackend, RunsAPlanOfNoTasks) {
    RunPlan plan;
    plan.concurrency = RunPlan::clamp_concurrency(0, 0);  // 1: at least one
    plan.make_task = [](Io&, std::size_t) -> Task<void> {
        ADD_FAILURE() << "no task to make";
        co_return;
    };
    RunOutcome out = make()->run(plan);
    EXPECT_EQ(out.error, "");
    EXPECT_EQ(out.completed, 0u);
}

// Every registered backend and its parameter variants: a new backend runs this suite by
// being registered.
INSTANTIATE_TEST_SUITE_P(Backends, EveryBackend, testing::ValuesIn(backend_cases()),
                         [](const auto& info) { return case_name(info.param); });

TEST(Backends, AreListedInOrderWithSyncFirst) {
    std::vector<std::string> names;
    for (const auto* b : backends()) names.push_back(b->name());
    EXPECT_EQ(names, (std::vector<std::string>{"sync", "threads", "async", "async-mt", "pool",
                                               "tbb"}));
    EXPECT_EQ(find_backend("nope"), nullptr);
}

TEST(RunPlan, ClampsConcurrencyToOneToTasksWithZeroMeaningAll) {
    EXPECT_EQ(RunPlan::clamp_concurrency(100, 0), 100u);
    EXPECT_EQ(RunPlan::clamp_concurrency(100, 7), 7u);
    EXPECT_EQ(RunPlan::clamp_concurrency(3, 1000), 3u);
    EXPECT_EQ(RunPlan::clamp_concurrency(0, 0), 1u);
    EXPECT_EQ(RunPlan::clamp_concurrency(0, 5), 1u);
    EXPECT_EQ(RunPlan::clamp_concurrency(1, 1), 1u);
}

TEST(Backends, CasesComeFromTheRegistryWithAVariantPerDeclaredValue) {
    // The built-in backends' cases (a backend added later brings its own, and needs no edit
    // here).
    const std::set<std::string> built_in = {"sync", "threads", "async", "async-mt", "pool", "tbb"};
    std::vector<std::string> names;
    for (const auto& c : backend_cases())
        if (built_in.count(c.backend)) names.push_back(case_name(c));
    // async-mt's default thread count is the machine's: the variant is another one.
    const std::string threads = hardware_threads() == 4 ? "2" : "4";
    EXPECT_EQ(names, (std::vector<std::string>{
                         "sync", "threads", "threads_stack_kb_256", "async", "async_offload_pool",
                         "async_offload_tbb", "async_mt", "async_mt_threads_" + threads,
                         "async_mt_offload_pool", "async_mt_offload_tbb", "pool",
                         "pool_threads_" + threads, "tbb", "tbb_threads_" + threads}));
}

TEST(Backends, AsyncRunsManyWaitsOnOneThread) {
    // 2000 concurrent sleeps all resume on the one loop thread.
    auto backend = make_backend({"async", {}});
    std::set<std::thread::id> threads;
    std::mutex m;
    RunPlan plan;
    plan.tasks = 2000;
    plan.concurrency = 2000;
    plan.make_task = [&](Io& io, std::size_t) -> Task<void> {
        co_await io.sleep(50ms);
        std::lock_guard lock(m);
        threads.insert(std::this_thread::get_id());
    };
    RunOutcome out = backend->run(plan);
    EXPECT_EQ(out.completed, 2000u);
    EXPECT_EQ(threads.size(), 1u);
}

}  // namespace
}  // namespace concbench
