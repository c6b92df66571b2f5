#include "server_fixture.hpp"

#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <vector>

#include "listening_line.hpp"
#include "spawn.hpp"

namespace concbench {

namespace {
constexpr auto kStartTimeout = std::chrono::seconds(10);
constexpr auto kStopTimeout = std::chrono::seconds(5);

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

/// What the server says until its first line is complete, it exits, or the start timeout
/// passes: its stdout, and its stderr (the reason, if it does not come up).
struct Said {
    std::string out, err;
};

Said read_first_line(const Spawned& server) {
    Said said;
    const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
    pollfd fds[2] = {{server.stdout_fd, POLLIN, 0}, {server.stderr_fd, POLLIN, 0}};
    while (said.out.find('\n') == std::string::npos) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || poll(fds, 2, static_cast<int>(left.count())) <= 0) break;
        char buf[512];
        if (fds[1].revents) {
            const ssize_t n = read(server.stderr_fd, buf, sizeof buf);
            if (n > 0) said.err.append(buf, static_cast<std::size_t>(n));
        }
        if (fds[0].revents) {
            const ssize_t n = read(server.stdout_fd, buf, sizeof buf);
            if (n <= 0) break;  // the server exited
            said.out.append(buf, static_cast<std::size_t>(n));
        }
    }
    return said;
}

}  // namespace

ServerFixture::ServerFixture(const std::string& exe, int threads, const std::string& faults) {
    std::vector<std::string> args = {exe, "serve",     "--port",
                                     "0", "--threads", std::to_string(threads)};
    if (!faults.empty()) {
        args.push_back("--fault");
        args.push_back(faults);
    }
    Spawned server;
    try {
        // In the harness's process group, so that a Ctrl-C reaches it too.
        server = spawn(args, {.own_group = false, .death_signal = SIGTERM, .capture_stdout = true});
    } catch (const std::system_error& e) {
        throw std::runtime_error(fmt::format("cannot start the delay server: {}", e.what()));
    }
    pid_ = server.pid;
    Said said = read_first_line(server);
    close(server.stdout_fd);  // the server writes nothing more to stdout; stderr is dropped
    close(server.stderr_fd);
    const auto address = address_in(said.out);
    if (!address) {
        stop_process(pid_);
        while (!said.err.empty() && said.err.back() == '\n') said.err.pop_back();
        throw std::runtime_error(
            fmt::format("the delay server did not start: {}",
                        said.err.empty() ? "no address within 10 s" : said.err));
    }
    address_ = *address;
}

ServerFixture::~ServerFixture() {
    if (pid_ > 0) stop_process(pid_);
}

}  // namespace concbench
