#include "process.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <sstream>

extern char** environ;

namespace concbench::testing_support {

namespace {
std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}
}  // namespace

Output run_program(const std::vector<std::string>& argv) {
    TempDir io;
    const auto out_path = io.path() / "stdout", err_path = io.path() / "stderr";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = 0;
    Output result;
    if (posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ) != 0) {
        ADD_FAILURE() << "cannot start " << argv[0];
        return result;
    }
    posix_spawn_file_actions_destroy(&actions);
    int status = 0;
    waitpid(pid, &status, 0);
    result.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result.out = slurp(out_path);
    result.err = slurp(err_path);
    return result;
}

Background::Background(const std::vector<std::string>& argv) {
    int fds[2];
    if (pipe(fds) != 0) ADD_FAILURE() << "pipe failed";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = -1;
    if (posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ) != 0)
        ADD_FAILURE() << "cannot start " << argv[0];
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    pid_ = pid;
    out_ = fds[0];
}

Background::~Background() {
    if (pid_ > 0) stop(SIGKILL);
    if (out_ >= 0) close(out_);
}

std::string Background::read_line() {
    char c;
    while (pending_.find('\n') == std::string::npos && read(out_, &c, 1) == 1) pending_ += c;
    const std::size_t eol = pending_.find('\n');
    std::string line = pending_.substr(0, eol);
    pending_.erase(0, eol == std::string::npos ? pending_.size() : eol + 1);
    return line;
}

int Background::stop(int sig) {
    if (pid_ <= 0) return -1;
    kill(pid_, sig);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string program_from_env(const char* name) {
    const char* v = std::getenv(name);
    if (!v) ADD_FAILURE() << name << " is not set: run the tests with meson test";
    return v ? v : "/bin/false";
}

TempDir::TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "concbench-test-XXXXXX").string();
    if (!mkdtemp(pattern.data())) ADD_FAILURE() << "mkdtemp failed";
    path_ = pattern;
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

std::vector<std::string> read_lines(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

}  // namespace concbench::testing_support
