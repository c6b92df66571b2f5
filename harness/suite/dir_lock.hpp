// An exclusive lock on a result folder for the life of a suite, so two `run --resume DIR`
// (or a resume racing the run that made DIR) never run the same runs twice.
#pragma once

#include <string>

namespace concbench {

class DirLock {
  public:
    /// Locks DIR/.lock (flock, created if needed). Throws UsageError naming the folder when
    /// another process holds it, or when it cannot be created.
    explicit DirLock(const std::string& dir);
    ~DirLock();
    DirLock(const DirLock&) = delete;
    DirLock& operator=(const DirLock&) = delete;

  private:
    int fd_ = -1;
};

}  // namespace concbench
