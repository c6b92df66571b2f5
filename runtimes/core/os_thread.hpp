// A joinable OS thread with a chosen stack size, whose creation failure is a value (errno),
// not an exception: running out of threads is a result the harness reports.
#pragma once

#include <pthread.h>

#include <cstddef>
#include <functional>
#include <string>

namespace concbench {

/// Starts `fn` on a new thread with `stack_bytes` of stack (0: the system default).
/// On success stores the thread in `out` and returns 0; else returns the errno.
int spawn_thread(std::function<void()> fn, std::size_t stack_bytes, pthread_t& out);

/// The kernel and process limits that bound thread creation, e.g.
/// "kernel.pid_max=32768, kernel.threads-max=..., vm.max_map_count=65530, ulimit -u=...".
std::string thread_limits();

/// Threads in this process right now (from /proc/self/status).
long threads_running();

/// "could not create thread: <strerror> (N threads running; limits: ...)".
std::string thread_failure(int err);

}  // namespace concbench
