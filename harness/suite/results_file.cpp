#include "results_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "usage_error.hpp"

namespace concbench {

namespace {

/// A system_error whose text goes on after the errno message.
struct WriteError : std::system_error {
    WriteError(int err, const std::string& what, const std::string& more)
        : std::system_error(err, std::generic_category(), what),
          text(std::system_error::what() + more) {}
    const char* what() const noexcept override { return text.c_str(); }
    std::string text;
};

/// A full disk or a folder turned read-only is not the end of a suite: what was recorded
/// stays, and --resume runs the rest. Said only for a folder `concbench run` wrote.
std::string room_hint(int err, const std::string& path) {
    if (err != ENOSPC && err != EDQUOT && err != EFBIG && err != EROFS && err != EACCES &&
        err != EPERM)
        return {};
    const std::string dir = std::filesystem::path(path).parent_path().string();
    std::error_code ec;
    if (!std::filesystem::exists(dir + "/run.json", ec)) return {};
    return fmt::format(
        "; the runs recorded in {0}/results.jsonl are kept: once there is room (or write "
        "access), `concbench run --resume {0}` continues",
        dir.empty() ? "." : dir);
}

[[noreturn]] void fail(const std::string& what, const std::string& path) {
    const int err = errno;
    throw WriteError(err, what, room_hint(err, path));
}

void write_all(int fd, const std::string& text, const std::string& path) {
    // O_APPEND writes to a regular file are not split short except on errors (ENOSPC).
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n != static_cast<ssize_t>(text.size())) {
        if (n >= 0) errno = ENOSPC;
        fail("write " + path, path);
    }
}
}  // namespace

ResultsFile::ResultsFile(const std::string& path) : path_(path) {
    // Not through a symlink, and not into a FIFO (whose open would block) or a device.
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK,
                 0644);
    if (fd_ < 0 && errno == ELOOP)
        throw UsageError(path + " is a symbolic link: refusing to append results through it");
    if (fd_ < 0) fail("open " + path, path);
    struct stat st {};
    if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd_);
        fd_ = -1;
        throw UsageError(path + " is not a regular file: refusing to append results to it");
    }
    ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) & ~O_NONBLOCK);
    // A line cut short (a full disk, a crash of the machine) must not swallow the next one.
    const off_t size = ::lseek(fd_, 0, SEEK_END);
    char last = '\n';
    if (size > 0 && ::pread(fd_, &last, 1, size - 1) == 1 && last != '\n') write_all(fd_, "\n", path);
}

ResultsFile::~ResultsFile() {
    if (fd_ >= 0) ::close(fd_);
}

void ResultsFile::append(const nlohmann::json& record) {
    write_all(fd_, record.dump() + "\n", path_);
}

void ResultsFile::sync() {
    if (::fsync(fd_) != 0) fail("fsync " + path_, path_);
}

void write_file_atomically(const std::string& path, const std::string& text) {
    const std::string tmp = path + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) fail("open " + tmp, path);
    try {
        write_all(fd, text, tmp);
        if (::fsync(fd) != 0) fail("fsync " + tmp, path);
    } catch (...) {
        ::close(fd);
        ::unlink(tmp.c_str());
        throw;
    }
    ::close(fd);
    if (std::rename(tmp.c_str(), path.c_str()) != 0) fail("rename " + tmp, path);
}

}  // namespace concbench
