// Test helpers: run a program and capture what it prints; temporary folders.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace concbench::testing_support {

struct Output {
    int code = -1;  // exit code, or 128 + signal
    std::string out;
    std::string err;
};

/// Runs argv[0] with the given arguments, stdin from /dev/null, and waits for it.
Output run_program(const std::vector<std::string>& argv);

/// A program running in the background with its stdout on a pipe.
class Background {
  public:
    explicit Background(const std::vector<std::string>& argv);
    ~Background();  // SIGKILLs it if still running
    /// The next line it prints on stdout, without the newline ("" at EOF).
    std::string read_line();
    /// Sends `sig` and returns the exit code (or 128 + signal).
    int stop(int sig);
    int pid() const { return pid_; }

  private:
    int pid_ = -1;
    int out_ = -1;
    std::string pending_;
};

/// The path in environment variable `name`; fails the test if unset.
std::string program_from_env(const char* name);

/// A fresh folder under /tmp, removed with the object.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

/// Lines of a text file.
std::vector<std::string> read_lines(const std::filesystem::path& p);

}  // namespace concbench::testing_support
