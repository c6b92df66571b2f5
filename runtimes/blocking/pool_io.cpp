#include "pool_io.hpp"

#include <condition_variable>
#include <exception>
#include <mutex>

namespace concbench {

namespace {
// Counts the children handed off to workers down to zero; keeps the first failure to run one.
struct HandedOff {
    std::mutex m;
    std::condition_variable all_done;
    std::size_t running = 0;     // guarded by m
    std::exception_ptr failure;  // guarded by m

    void finished(std::exception_ptr error) {
        // Notified under the lock: the waiter cannot return and destroy this before it is done.
        std::lock_guard lock(m);
        if (error && !failure) failure = error;
        if (--running == 0) all_done.notify_one();
    }
};
}  // namespace

bool PoolIo::suspend_join(std::span<Task<void>> children, std::coroutine_handle<>) {
    HandedOff handed;
    std::exception_ptr inline_failure;
    for (std::size_t i = 0; i < children.size(); ++i) {
        Task<void>& child = children[i];
        if (i + 1 < children.size()) {
            {
                std::lock_guard lock(handed.m);
                ++handed.running;
            }
            std::function<void()> job = [&child, &handed] {
                std::exception_ptr error;
                try {
                    run_to_end(child);
                } catch (...) {
                    error = std::current_exception();  // it suspended: a bug, not a child error
                }
                handed.finished(error);
            };
            if (pool_.try_hand_off(job)) continue;
            std::lock_guard lock(handed.m);
            --handed.running;  // no worker idle: run it here
        }
        try {
            run_to_end(child);
        } catch (...) {
            if (!inline_failure) inline_failure = std::current_exception();
        }
    }
    std::unique_lock lock(handed.m);
    handed.all_done.wait(lock, [&] { return handed.running == 0; });
    // Every child that started has finished: now a failure to run one may be thrown.
    if (handed.failure) std::rethrow_exception(handed.failure);
    if (inline_failure) std::rethrow_exception(inline_failure);
    return false;
}

}  // namespace concbench
