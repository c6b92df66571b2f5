// Event on every backend: set before the wait, set from a thread outside the backend, and a
// ping-pong between two children of a join where the backend runs them concurrently.
#include "event.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "backend.hpp"
#include "backend_cases.hpp"
#include "join_probe.hpp"

namespace concbench {
namespace {

using namespace std::chrono_literals;

class EventOnEveryBackend : public testing::TestWithParam<BackendCase> {
  protected:
    /// Runs one root task made by `body` and expects it to finish without error.
    template <class Body>
    void run_one(Body body) const {
        auto backend = make_backend(GetParam());
        ASSERT_NE(backend, nullptr);
        RunPlan plan;
        plan.tasks = 1;
        plan.concurrency = 1;
        plan.make_task = [&](Io& io, std::size_t) { return body(io); };
        const RunOutcome out = backend->run(plan);
        EXPECT_EQ(out.error, "");
        EXPECT_EQ(out.completed, 1u);
    }
};

TEST_P(EventOnEveryBackend, SetBeforeTheWaitGoesOnAtOnce) {
    Event event;
    event.set();
    event.set();  // a second set changes nothing
    bool after = false;
    run_one([&](Io& io) -> Task<void> {
        co_await io.wait(event);
        after = true;
    });
    EXPECT_TRUE(after);
    EXPECT_TRUE(event.is_set());
    event.reset();
    EXPECT_FALSE(event.is_set());
}

TEST_P(EventOnEveryBackend, SetFromAnotherThreadWakesTheTask) {
    // Several rounds, each woken by a thread outside the backend, which waits for the task
    // to answer: on async the loop has nothing else to do while the task waits.
    constexpr int rounds = 50;
    Event wake, answered;
    int woken = 0;
    std::thread waker([&] {
        for (int i = 0; i < rounds; ++i) {
            if (i % 10 == 0) std::this_thread::sleep_for(1ms);  // the task is waiting by now
            wake.set();
            answered.wait_blocking();
            answered.reset();
        }
    });
    run_one([&](Io& io) -> Task<void> {
        for (int i = 0; i < rounds; ++i) {
            co_await io.wait(wake);
            wake.reset();
            ++woken;
            answered.set();
        }
    });
    waker.join();
    EXPECT_EQ(woken, rounds);
}

TEST_P(EventOnEveryBackend, PingPongBetweenTwoChildrenOfAJoin) {
    auto backend = make_backend(GetParam());
    ASSERT_NE(backend, nullptr);
    if (!join_children_run_concurrently(*backend)) {
        // Only sync runs the children of a join one after another (the backends of this
        // build; a new one may too, e.g. a pool of one thread).
        EXPECT_NE(GetParam().backend, "threads");
        EXPECT_NE(GetParam().backend, "async");
        EXPECT_NE(GetParam().backend, "async-mt");
        GTEST_SKIP() << GetParam().backend
                     << " runs the children of a join one after another: a ping-pong between "
                        "them would wait forever";
    }
    constexpr int rounds = 200;
    Event ping, pong;
    std::atomic<int> pings{0}, pongs{0};
    run_one([&](Io& io) -> Task<void> {
        auto left = [&]() -> Task<void> {
            for (int i = 0; i < rounds; ++i) {
                ++pings;
                ping.set();
                co_await io.wait(pong);
                pong.reset();
                EXPECT_EQ(pongs.load(), i + 1);  // the other side answered this round
            }
        };
        auto right = [&]() -> Task<void> {
            for (int i = 0; i < rounds; ++i) {
                co_await io.wait(ping);
                ping.reset();
                EXPECT_EQ(pings.load(), i + 1);
                ++pongs;
                pong.set();
            }
        };
        std::vector<Task<void>> children;
        children.push_back(left());
        children.push_back(right());
        co_await io.join(children);
    });
    EXPECT_EQ(pings.load(), rounds);
    EXPECT_EQ(pongs.load(), rounds);
}

INSTANTIATE_TEST_SUITE_P(Backends, EventOnEveryBackend, testing::ValuesIn(backend_cases()),
                         [](const auto& info) { return case_name(info.param); });

TEST(Event, SyncRunsTheChildrenOfAJoinOneAfterAnother) {
    auto sync = make_backend({"sync", {}});
    ASSERT_NE(sync, nullptr);
    EXPECT_FALSE(join_children_run_concurrently(*sync, 20ms));
}

TEST(Event, WaitBlockingReturnsOnceSetFromAnotherThread) {
    Event event;
    std::atomic<bool> returned{false};
    std::thread waiter([&] {
        event.wait_blocking();
        returned = true;
    });
    event.set();
    waiter.join();
    EXPECT_TRUE(returned.load());
}

}  // namespace
}  // namespace concbench
