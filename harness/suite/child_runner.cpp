#include "child_runner.hpp"

#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

#include "interrupt.hpp"
#include "spawn.hpp"

namespace concbench {

namespace {

constexpr int kResultFd = 3;
constexpr std::size_t kStderrKeep = 4096;

[[noreturn]] void throw_errno(const char* what) {
    throw std::system_error(errno, std::generic_category(), what);
}

}  // namespace

std::string self_executable() {
    std::array<char, 4096> buf{};
    const ssize_t n = readlink("/proc/self/exe", buf.data(), buf.size() - 1);
    if (n <= 0) throw_errno("readlink /proc/self/exe");
    return std::string(buf.data(), static_cast<std::size_t>(n));
}

std::string signal_name(int sig) {
    const char* abbrev = sigabbrev_np(sig);
    return fmt::format("{} (SIG{})", strsignal(sig), abbrev ? abbrev : "?");
}

long oom_kill_count() {
    std::ifstream in("/proc/vmstat");
    std::string key;
    long value = 0;
    while (in >> key >> value)
        if (key == "oom_kill") return value;
    return -1;
}

namespace {

/// Reads the child's result and stderr until both close, the deadline passes or the harness
/// is interrupted (then `out.end` says which). Closes both descriptors.
void collect(const Spawned& child, std::chrono::steady_clock::time_point deadline,
             ChildResult& out) {
    std::array<pollfd, 2> fds{{{child.result_fd, POLLIN, 0}, {child.stderr_fd, POLLIN, 0}}};
    std::array<char, 65536> buf;
    int open_fds = 2;
    while (open_fds > 0) {
        if (interrupted()) {
            out.end = ChildResult::End::interrupted;
            break;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            out.end = ChildResult::End::timed_out;
            break;
        }
        // At most 200 ms at a time: a signal just before poll() is seen soon all the same.
        const int ready = poll(fds.data(), fds.size(),
                               static_cast<int>(std::min<long long>(left.count() + 1, 200)));
        if (ready < 0 && errno != EINTR) throw_errno("poll");
        for (std::size_t i = 0; i < fds.size() && ready > 0; ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0) continue;
            const ssize_t n = read(fds[i].fd, buf.data(), buf.size());
            if (n > 0) {
                std::string& dst = i == 0 ? out.result : out.stderr_tail;
                dst.append(buf.data(), static_cast<std::size_t>(n));
                if (i == 1 && dst.size() > 2 * kStderrKeep) dst.erase(0, dst.size() - kStderrKeep);
            } else if (n == 0 || errno != EINTR) {
                close(fds[i].fd);
                fds[i].fd = -1;
                --open_fds;
            }
        }
    }
    if (out.end == ChildResult::End::timed_out || out.end == ChildResult::End::interrupted)
        kill(-child.pid, SIGKILL);
    for (const auto& f : fds)
        if (f.fd >= 0) close(f.fd);
}

}  // namespace

ChildResult run_child(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
    const long oom_before = oom_kill_count();
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    const Spawned child = spawn(argv, {.own_group = true, .result_fd = kResultFd});
    ChildResult out;
    collect(child, deadline, out);

    int status = 0;
    while (wait4(child.pid, &status, 0, &out.usage) < 0) {
        if (errno != EINTR) throw_errno("wait4");
    }
    kill(-child.pid, SIGKILL);  // anything the child left behind in its group goes with it
    if (out.stderr_tail.size() > kStderrKeep)
        out.stderr_tail.erase(0, out.stderr_tail.size() - kStderrKeep);

    if (const long oom_after = oom_kill_count(); oom_before >= 0 && oom_after >= 0)
        out.oom_kills = oom_after - oom_before;
    if (out.end == ChildResult::End::exited) {
        if (WIFSIGNALED(status)) {
            out.end = ChildResult::End::signaled;
            out.code = WTERMSIG(status);
        } else {
            out.code = WEXITSTATUS(status);
        }
    }
    return out;
}

}  // namespace concbench
