// Files: the file operations a workload may wait on, reached by `io.files()`.
//
// The same shape as Net (net.hpp): each operation is an awaitable that calls one hook from
// await_suspend. A blocking Files finishes the operation there and returns false (pread,
// pwrite, fsync on the calling thread); an async one starts it (io_uring, or a thread pool
// where io_uring is unavailable), returns true, and resumes the coroutine from its completion
// handler.
//
// A file belongs to the Files that opened it: passing it to another Files is a programming
// error (each Files refuses a file it did not open with std::logic_error). Operations fail
// with std::system_error.
#pragma once

#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "op_result.hpp"

namespace concbench {

/// An open file, made by Files::open. Closed when destroyed.
class File {
  public:
    virtual ~File() = default;
};

class Files {
  public:
    enum class Access { read, read_write };

    virtual ~Files() = default;

    /// Opens the existing regular file `path`. Opening does not wait on the disk in the ways
    /// reads and writes do, so it is a plain call on every backend. Throws std::system_error.
    virtual std::unique_ptr<File> open(const std::string& path, Access access) = 0;

    /// Reads into `buf` from `offset`: all of it, unless the file ends first. Returns the
    /// bytes read.
    [[nodiscard]] auto read_at(File& f, std::uint64_t offset, std::span<std::byte> buf) {
        return ReadAwaitable{*this, f, offset, buf, {}};
    }

    /// Writes all of `buf` at `offset`. Returns the bytes written (buf.size()).
    [[nodiscard]] auto write_at(File& f, std::uint64_t offset, std::span<const std::byte> buf) {
        return WriteAwaitable{*this, f, offset, buf, {}};
    }

    /// Waits until the file's data and metadata are on the device (fsync).
    [[nodiscard]] auto sync(File& f) { return SyncAwaitable{*this, f, {}}; }

    /// How the operations are done, for the results: "pread/pwrite", "io_uring", ...
    virtual std::string mechanism() const = 0;

  protected:
    // Backend hooks. Each either finishes the operation on the calling thread and returns
    // false, or returns true and later resumes `h` on one of the backend's threads.
    virtual bool suspend_read(File& f, std::uint64_t offset, std::span<std::byte> buf,
                              OpResult<std::size_t>& out, std::coroutine_handle<> h) = 0;
    virtual bool suspend_write(File& f, std::uint64_t offset, std::span<const std::byte> buf,
                               OpResult<std::size_t>& out, std::coroutine_handle<> h) = 0;
    virtual bool suspend_sync(File& f, OpResult<bool>& out, std::coroutine_handle<> h) = 0;

  private:
    struct ReadAwaitable {
        Files& files;
        File& f;
        std::uint64_t offset;
        std::span<std::byte> buf;
        OpResult<std::size_t> result;
        bool await_ready() const noexcept { return false; }
        bool await_suspend(std::coroutine_handle<> h) {
            return files.suspend_read(f, offset, buf, result, h);
        }
        std::size_t await_resume() { return result.take(); }
    };

    struct WriteAwaitable {
        Files& files;
        File& f;
        std::uint64_t offset;
        std::span<const std::byte> buf;
        OpResult<std::size_t> result;
        bool await_ready() const noexcept { return false; }
        bool await_suspend(std::coroutine_handle<> h) {
            return files.suspend_write(f, offset, buf, result, h);
        }
        std::size_t await_resume() { return result.take(); }
    };

    struct SyncAwaitable {
        Files& files;
        File& f;
        OpResult<bool> result;
        bool await_ready() const noexcept { return false; }
        bool await_suspend(std::coroutine_handle<> h) { return files.suspend_sync(f, result, h); }
        void await_resume() { result.take(); }
    };
};

/// The Files of the blocking backends, and Io's default: pread, pwrite and fsync on the
/// calling thread. Stateless, one for the process.
Files& blocking_files() noexcept;

}  // namespace concbench
