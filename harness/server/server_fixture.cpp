#include "server_fixture.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

namespace concbench {

namespace {
constexpr auto kStartTimeout = std::chrono::seconds(10);
constexpr auto kStopTimeout = std::chrono::seconds(5);
constexpr std::string_view kListening = "listening on ";

void stop_process(pid_t pid) {
    kill(pid, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + kStopTimeout;
    while (waitpid(pid, nullptr, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, nullptr, 0);
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}
}  // namespace

ServerFixture::ServerFixture(const std::string& exe, int threads, const std::string& faults) {
    int out[2], err[2];
    if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0)
        throw std::runtime_error("cannot start the delay server: pipe2 failed");
    // Built before fork: the child only calls async-signal-safe functions.
    std::vector<std::string> args = {exe, "serve",     "--port",
                                     "0", "--threads", std::to_string(threads)};
    if (!faults.empty()) {
        args.push_back("--fault");
        args.push_back(faults);
    }
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const pid_t parent = getpid();
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("cannot start the delay server: fork failed");
    if (pid_ == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent) _exit(127);
        dup2(out[1], STDOUT_FILENO);
        dup2(err[1], STDERR_FILENO);
        execv(argv[0], argv.data());
        _exit(127);
    }
    close(out[1]);
    close(err[1]);

    // Read until the "listening on" line, the server's exit, or the start timeout.
    std::string said, complaint;
    const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
    pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    while (said.find('\n') == std::string::npos) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || poll(fds, 2, static_cast<int>(left.count())) <= 0) break;
        char buf[512];
        if (fds[1].revents) {
            const ssize_t n = read(err[0], buf, sizeof buf);
            if (n > 0) complaint.append(buf, static_cast<std::size_t>(n));
        }
        if (fds[0].revents) {
            const ssize_t n = read(out[0], buf, sizeof buf);
            if (n <= 0) break;  // the server exited
            said.append(buf, static_cast<std::size_t>(n));
        }
    }
    close(out[0]);  // the server writes nothing more to stdout; stderr is dropped from here
    close(err[0]);
    const std::size_t at = said.find(kListening);
    const std::size_t eol = said.find('\n');
    if (at == std::string::npos || eol == std::string::npos) {
        stop_process(pid_);
        while (!complaint.empty() && complaint.back() == '\n') complaint.pop_back();
        throw std::runtime_error(
            fmt::format("the delay server did not start: {}",
                        complaint.empty() ? "no address within 10 s" : complaint));
    }
    address_ = said.substr(at + kListening.size(), eol - at - kListening.size());
}

ServerFixture::~ServerFixture() {
    if (pid_ > 0) stop_process(pid_);
}

}  // namespace concbench
