// Runs one command in a fresh child process with a wall-clock timeout and collects what the
// kernel knows about it (wait4), so every figure belongs to that run alone.
#pragma once

#include <sys/resource.h>

#include <chrono>
#include <string>
#include <vector>

namespace concbench {

struct ChildResult {
    enum class End { exited, signaled, timed_out, interrupted };  // interrupted: see interrupt.hpp
    End end = End::exited;
    int code = 0;             // exit code, or the signal that ended the child
    std::string result;       // everything the child wrote to fd 3
    std::string stderr_tail;  // the last few KiB of its stderr
    rusage usage{};           // of the child (and any children it waited for)
    long oom_kills = 0;       // the kernel's OOM kills (of any process) while the child ran
};

/// The kernel's count of OOM kills since boot (oom_kill in /proc/vmstat); -1 if unknown.
long oom_kill_count();

/// Runs `argv` (argv[0] is the executable path) with stdin on /dev/null, stdout inherited,
/// stderr captured and fd 3 a pipe for its result. The child is its own process group and
/// dies with the parent; on timeout, or when the harness is interrupted (interrupted()), the
/// whole group is killed with SIGKILL.
/// Throws std::system_error if the child cannot be started at all.
ChildResult run_child(const std::vector<std::string>& argv, std::chrono::milliseconds timeout);

/// The path of this executable, for re-running itself as a child.
std::string self_executable();

/// "Segmentation fault (SIGSEGV)".
std::string signal_name(int sig);

}  // namespace concbench
