// Starting a child process: vfork + exec, so the cost does not grow with the parent's memory;
// it dies with the parent (PR_SET_PDEATHSIG); its output comes back through pipes. The one
// place the harness forks: the child runner and the delay server's fixture both use it.
#pragma once

#include <sys/types.h>

#include <csignal>
#include <string>
#include <vector>

namespace concbench {

struct SpawnOptions {
    bool own_group = true;        // its own process group (killed as one), or the parent's
                                  // (so a Ctrl-C at the terminal reaches it too)
    int death_signal = SIGKILL;   // sent to it when the parent dies
    bool capture_stdout = false;  // stdout to a pipe; otherwise inherited
    int result_fd = -1;           // >= 0: this descriptor of the child is a pipe to us
};

/// A started child: its pid and the read ends of its pipes (-1 where there is none). The
/// caller reads and closes them, and waits for the child.
struct Spawned {
    pid_t pid = -1;
    int stdout_fd = -1, stderr_fd = -1, result_fd = -1;
};

/// Runs `argv` (argv[0] is the executable path) with stdin on /dev/null and stderr to a
/// pipe. A child that cannot exec says so on that pipe and exits 127. Throws std::system_error
/// if it cannot be started at all.
Spawned spawn(const std::vector<std::string>& argv, const SpawnOptions& opts = {});

}  // namespace concbench
