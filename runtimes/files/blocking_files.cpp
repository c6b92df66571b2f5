#include "blocking_files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>

namespace concbench {

PosixFile::~PosixFile() {
    ::close(fd_);
}

namespace posix_file {

namespace {
[[noreturn]] void fail(const char* what) {
    throw std::system_error(errno, std::generic_category(), what);
}
}  // namespace

std::unique_ptr<PosixFile> open(const std::string& path, Files::Access access) {
    const int flags = (access == Files::Access::read ? O_RDONLY : O_RDWR) | O_CLOEXEC;
    const int fd = ::open(path.c_str(), flags);
    if (fd < 0) throw std::system_error(errno, std::generic_category(), "open " + path);
    return std::make_unique<PosixFile>(fd);
}

std::size_t read_at(const PosixFile& f, std::uint64_t offset, std::span<std::byte> buf) {
    std::size_t done = 0;
    while (done < buf.size()) {
        const ssize_t n = ::pread(f.fd(), buf.data() + done, buf.size() - done,
                                  static_cast<off_t>(offset + done));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail("pread");
        if (n == 0) break;  // the end of the file
        done += static_cast<std::size_t>(n);
    }
    return done;
}

std::size_t write_at(const PosixFile& f, std::uint64_t offset, std::span<const std::byte> buf) {
    std::size_t done = 0;
    while (done < buf.size()) {
        const ssize_t n = ::pwrite(f.fd(), buf.data() + done, buf.size() - done,
                                   static_cast<off_t>(offset + done));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail("pwrite");
        done += static_cast<std::size_t>(n);
    }
    return done;
}

void sync(const PosixFile& f) {
    while (::fsync(f.fd()) != 0)
        if (errno != EINTR) fail("fsync");
}

PosixFile& cast(File& f) {
    auto* p = dynamic_cast<PosixFile*>(&f);
    if (!p) throw std::logic_error("a file used with a Files that did not open it");
    return *p;
}

}  // namespace posix_file

namespace {

class BlockingFiles final : public Files {
  public:
    std::unique_ptr<File> open(const std::string& path, Access access) override {
        return posix_file::open(path, access);
    }
    std::string mechanism() const override { return "pread/pwrite"; }

  protected:
    bool suspend_read(File& f, std::uint64_t offset, std::span<std::byte> buf,
                      OpResult<std::size_t>& out, std::coroutine_handle<>) override {
        try {
            out.value = posix_file::read_at(posix_file::cast(f), offset, buf);
        } catch (...) {
            out.error = std::current_exception();
        }
        return false;
    }
    bool suspend_write(File& f, std::uint64_t offset, std::span<const std::byte> buf,
                       OpResult<std::size_t>& out, std::coroutine_handle<>) override {
        try {
            out.value = posix_file::write_at(posix_file::cast(f), offset, buf);
        } catch (...) {
            out.error = std::current_exception();
        }
        return false;
    }
    bool suspend_sync(File& f, OpResult<bool>& out, std::coroutine_handle<>) override {
        try {
            posix_file::sync(posix_file::cast(f));
            out.value = true;
        } catch (...) {
            out.error = std::current_exception();
        }
        return false;
    }
};

}  // namespace

Files& blocking_files() noexcept {
    static BlockingFiles files;
    return files;
}

}  // namespace concbench
