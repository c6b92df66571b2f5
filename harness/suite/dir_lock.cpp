#include "dir_lock.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "usage_error.hpp"

namespace concbench {

DirLock::DirLock(const std::string& dir) {
    const std::string path = dir + "/.lock";
    // CLOEXEC: the children of the suite must not hold the lock after the harness is gone.
    // The file is never removed: unlinking a lock file lets a third process lock a new one.
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw UsageError(fmt::format("cannot lock {}: {}", path, std::strerror(errno)));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        const int err = errno;
        ::close(fd_);
        if (err == EWOULDBLOCK)
            throw UsageError(fmt::format(
                "{} is in use by another concbench run (it holds {}): wait for that one to "
                "end, then resume",
                dir, path));
        throw UsageError(fmt::format("cannot lock {}: {}", path, std::strerror(err)));
    }
}

DirLock::~DirLock() {
    ::close(fd_);  // releases the lock
}

}  // namespace concbench
