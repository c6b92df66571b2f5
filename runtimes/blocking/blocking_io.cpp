#include "blocking_io.hpp"

#include <stdexcept>
#include <system_error>
#include <thread>
#include <vector>

#include "os_thread.hpp"

namespace concbench {

void run_to_end(Task<void>& task) {
    task.start(nullptr, nullptr);
    if (!task.done())
        throw std::logic_error("a task suspended on a blocking backend without resuming");
}

bool BlockingOps::suspend_sleep(Duration d, std::coroutine_handle<>) {
    std::this_thread::sleep_for(d);
    return false;
}

bool BlockingOps::suspend_yield(std::coroutine_handle<>) {
    return false;  // no other task is ready on this thread: it runs one task at a time
}

bool BlockingOps::suspend_offload(Job job, std::coroutine_handle<>) {
    job();
    return false;
}

bool BlockingIo::suspend_join(std::span<Task<void>> children, std::coroutine_handle<>) {
    if (join_ == Join::in_order) {
        for (auto& c : children) run_to_end(c);
        return false;
    }
    std::vector<pthread_t> started;
    started.reserve(children.size());
    int err = 0;
    for (auto& c : children) {
        pthread_t t;
        // A logic_error from run_to_end would terminate the thread's process; blocking
        // operations cannot suspend, so it is not expected here.
        err = spawn_thread([&c] { run_to_end(c); }, stack_bytes_, t);
        if (err) break;
        started.push_back(t);
    }
    std::string failure = err ? thread_failure(err) : std::string();
    for (pthread_t t : started) pthread_join(t, nullptr);
    if (err) throw std::runtime_error(failure);
    return false;
}

}  // namespace concbench
