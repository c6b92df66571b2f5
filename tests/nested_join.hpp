// A tree of joins for the tests of pool and tbb: every task below `depth` joins `fanout`
// children; the leaves sleep (a blocking wait, on these backends) and count 1.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "io.hpp"

namespace concbench {

/// Where the tasks of a tree ran.
struct TreeThreads {
    std::mutex m;
    std::set<std::thread::id> ids;
    void note() {
        std::lock_guard lock(m);
        ids.insert(std::this_thread::get_id());
    }
};

/// The number of leaves under this task: fanout^depth when every join worked.
inline Task<std::int64_t> join_tree(Io& io, int depth, int fanout, TreeThreads& where) {
    where.note();
    if (depth == 0) {
        co_await io.sleep(std::chrono::milliseconds(1));
        co_return 1;
    }
    std::vector<Task<std::int64_t>> children;
    for (int i = 0; i < fanout; ++i) children.push_back(join_tree(io, depth - 1, fanout, where));
    std::int64_t sum = 0;
    for (std::int64_t leaves : co_await io.join_all(std::move(children))) sum += leaves;
    where.note();
    co_return sum;
}

}  // namespace concbench
