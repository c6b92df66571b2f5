#include "results_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <system_error>

namespace concbench {

namespace {
[[noreturn]] void fail(const std::string& what) {
    throw std::system_error(errno, std::generic_category(), what);
}

void write_all(int fd, const std::string& text, const std::string& path) {
    // O_APPEND writes to a regular file are not split short except on errors (ENOSPC).
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n != static_cast<ssize_t>(text.size())) {
        if (n >= 0) errno = ENOSPC;
        fail("write " + path);
    }
}
}  // namespace

ResultsFile::ResultsFile(const std::string& path) : path_(path) {
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd_ < 0) fail("open " + path);
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
    if (::fsync(fd_) != 0) fail("fsync " + path_);
}

void write_file_atomically(const std::string& path, const std::string& text) {
    const std::string tmp = path + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) fail("open " + tmp);
    try {
        write_all(fd, text, tmp);
        if (::fsync(fd) != 0) fail("fsync " + tmp);
    } catch (...) {
        ::close(fd);
        ::unlink(tmp.c_str());
        throw;
    }
    ::close(fd);
    if (std::rename(tmp.c_str(), path.c_str()) != 0) fail("rename " + tmp);
}

}  // namespace concbench
