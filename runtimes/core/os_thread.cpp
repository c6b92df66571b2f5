#include "os_thread.hpp"

#include <fmt/format.h>
#include <sys/resource.h>

#include <cstring>
#include <fstream>
#include <memory>

namespace concbench {

namespace {
void* trampoline(void* arg) {
    std::unique_ptr<std::function<void()>> fn(static_cast<std::function<void()>*>(arg));
    (*fn)();
    return nullptr;
}

std::string read_first_line(const char* path) {
    std::ifstream in(path);
    std::string line;
    if (!std::getline(in, line)) return "?";
    return line;
}
}  // namespace

int spawn_thread(std::function<void()> fn, std::size_t stack_bytes, pthread_t& out) {
    pthread_attr_t attr;
    if (int err = pthread_attr_init(&attr)) return err;
    if (stack_bytes != 0) {
        if (int err = pthread_attr_setstacksize(&attr, stack_bytes)) {
            pthread_attr_destroy(&attr);
            return err;
        }
    }
    auto* heap_fn = new std::function<void()>(std::move(fn));
    const int err = pthread_create(&out, &attr, &trampoline, heap_fn);
    pthread_attr_destroy(&attr);
    if (err) delete heap_fn;
    return err;
}

std::string thread_limits() {
    rlimit nproc{};
    getrlimit(RLIMIT_NPROC, &nproc);
    const std::string ulimit_u =
        nproc.rlim_cur == RLIM_INFINITY ? "unlimited" : std::to_string(nproc.rlim_cur);
    return fmt::format(
        "kernel.pid_max={}, kernel.threads-max={}, vm.max_map_count={}, ulimit -u={}",
        read_first_line("/proc/sys/kernel/pid_max"),
        read_first_line("/proc/sys/kernel/threads-max"),
        read_first_line("/proc/sys/vm/max_map_count"), ulimit_u);
}

long threads_running() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("Threads:", 0) == 0) return std::stol(line.substr(8));
    return -1;
}

std::string thread_failure(int err) {
    return fmt::format("could not create thread: {} ({} threads running; limits: {})",
                       std::strerror(err), threads_running(), thread_limits());
}

}  // namespace concbench
