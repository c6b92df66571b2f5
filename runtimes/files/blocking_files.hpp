// Files whose operations block the calling thread: pread, pwrite, fsync on a descriptor.
// Io's default (blocking backends) and the async backends' fallback, which runs the same
// calls on a thread pool where io_uring is unavailable.
#pragma once

#include "files.hpp"

namespace concbench {

/// A file opened with open(2): its descriptor, closed on destruction.
class PosixFile final : public File {
  public:
    explicit PosixFile(int fd) noexcept : fd_(fd) {}
    ~PosixFile() override;
    PosixFile(const PosixFile&) = delete;
    PosixFile& operator=(const PosixFile&) = delete;
    int fd() const noexcept { return fd_; }

  private:
    int fd_;
};

namespace posix_file {
/// open(2) of an existing file, close-on-exec. Throws std::system_error naming the path.
std::unique_ptr<PosixFile> open(const std::string& path, Files::Access access);
/// pread until `buf` is full or the file ends; the bytes read. Throws std::system_error.
std::size_t read_at(const PosixFile& f, std::uint64_t offset, std::span<std::byte> buf);
/// pwrite until all of `buf` is written. Throws std::system_error.
std::size_t write_at(const PosixFile& f, std::uint64_t offset, std::span<const std::byte> buf);
/// fsync. Throws std::system_error.
void sync(const PosixFile& f);
/// `f` as a PosixFile; std::logic_error if it is another kind of File.
PosixFile& cast(File& f);
}  // namespace posix_file

}  // namespace concbench
