#include "spawn.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace concbench {

namespace {

[[noreturn]] void throw_errno(const char* what) {
    throw std::system_error(errno, std::generic_category(), what);
}

/// A pipe whose ends close on exec; the child's copies (dup2) do not.
struct Pipe {
    int read = -1, write = -1;
    explicit Pipe(bool wanted) {
        if (!wanted) return;
        int fds[2];
        if (pipe2(fds, O_CLOEXEC) != 0) throw_errno("pipe2");
        read = fds[0];
        write = fds[1];
    }
    /// The parent's side: the write end goes, the read end is returned.
    int keep_read() {
        if (write >= 0) close(write);
        return read;
    }
};

/// In the vforked child: only system calls until exec, nothing written to memory we share.
[[noreturn]] void exec_child(const std::vector<char*>& args, const SpawnOptions& opts,
                             const Pipe& out, const Pipe& err, const Pipe& result, pid_t parent) {
    if (opts.own_group) setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, opts.death_signal);
    if (getppid() != parent) _exit(127);  // the parent died before prctl took effect
    const int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);  // dup2 clears it on fd 0
    if (devnull >= 0) dup2(devnull, STDIN_FILENO);
    if (out.write >= 0) dup2(out.write, STDOUT_FILENO);
    dup2(err.write, STDERR_FILENO);
    if (result.write >= 0) dup2(result.write, opts.result_fd);  // dup2 clears O_CLOEXEC
    execv(args[0], args.data());
    const char msg[] = "concbench: could not exec the child process\n";
    [[maybe_unused]] auto n = ::write(STDERR_FILENO, msg, sizeof msg - 1);
    _exit(127);
}

}  // namespace

Spawned spawn(const std::vector<std::string>& argv, const SpawnOptions& opts) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    Pipe out(opts.capture_stdout), err(true), result(opts.result_fd >= 0);
    const pid_t parent = getpid();
    // vfork: the child shares our memory until execv, so starting it costs the same however
    // large the harness has grown (fork copied the page tables of every cell's summary, and
    // a suite's cost per run grew with its length). exec_child makes only system calls.
    const pid_t pid = vfork();
    if (pid < 0) throw_errno("vfork");
    if (pid == 0) exec_child(args, opts, out, err, result, parent);
    if (opts.own_group) setpgid(pid, pid);  // also here: a kill of the group cannot race it
    return {pid, out.keep_read(), err.keep_read(), result.keep_read()};
}

}  // namespace concbench
