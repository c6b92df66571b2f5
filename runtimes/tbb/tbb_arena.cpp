#include "tbb_arena.hpp"

#include <oneapi/tbb/task_group.h>

#include <atomic>
#include <chrono>
#include <thread>

#if defined(__SANITIZE_THREAD__)
#define CONCBENCH_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define CONCBENCH_TSAN 1
#endif
#endif

#ifdef CONCBENCH_TSAN
// Debian's libtbb is not built with ThreadSanitizer, so TSan cannot see the synchronisation by
// which a task reaches a worker, and reports the task's own captures as a race. Races that
// involve a oneTBB thread are therefore not reported (everything else still is): TSan does not
// check code while it runs on oneTBB's workers. TSan reads this hook at start-up.
extern "C" const char* __tsan_default_suppressions() {
    return "race:libtbb.so\n";
}
#endif

namespace concbench {

namespace {
std::size_t at_least_one(std::size_t n) { return n == 0 ? 1 : n; }
}  // namespace

TbbArena::TbbArena(std::size_t threads, unsigned reserved)
    : threads_(at_least_one(threads)),
      // The limit counts the workers plus one thread that is not a worker.
      limit_(tbb::global_control::max_allowed_parallelism, threads_ - reserved + 1),
      arena_(static_cast<int>(threads_), reserved) {
    arena_.initialize();
    // oneTBB creates workers when work arrives: give each worker slot a task that waits until
    // all of them have arrived, so the threads exist before the run. A deadline keeps this
    // from waiting for workers oneTBB does not give (another arena may hold them).
    const std::size_t workers = threads_ - reserved;
    if (workers == 0) return;
    std::atomic<std::size_t> arrived{0};
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    tbb::task_group group;
    for (std::size_t i = 0; i < workers; ++i)
        arena_.enqueue(group.defer([&] {
            arrived.fetch_add(1, std::memory_order_relaxed);
            while (arrived.load(std::memory_order_relaxed) < workers &&
                   std::chrono::steady_clock::now() < deadline)
                std::this_thread::yield();
        }));
    arena_.execute([&] { group.wait(); });
}

}  // namespace concbench
