// The Files of the async backends: reads and writes through io_uring (Asio's random-access
// file objects, completed on the io_context), fsync on a small thread pool (Asio has no
// asynchronous fsync). Where io_uring is unavailable (an old kernel, a seccomp filter that
// refuses io_uring_setup, or CONCBENCH_IO_URING=off) every operation runs as the blocking
// call on that thread pool instead, and mechanism() says so and why.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <functional>
#include <mutex>
#include <optional>

#include "files.hpp"

namespace concbench {

class AsioFiles final : public Files {
  public:
    explicit AsioFiles(boost::asio::io_context& ctx);
    ~AsioFiles() override;

    std::unique_ptr<File> open(const std::string& path, Access access) override;
    /// "io_uring (fsync on a thread pool)", or "thread pool (io_uring unavailable: why)".
    std::string mechanism() const override;

    /// Threads of the pool that runs fsync, and every operation where io_uring is unavailable.
    static constexpr unsigned kPoolThreads = 8;

  protected:
    bool suspend_read(File& f, std::uint64_t offset, std::span<std::byte> buf,
                      OpResult<std::size_t>& out, std::coroutine_handle<> h) override;
    bool suspend_write(File& f, std::uint64_t offset, std::span<const std::byte> buf,
                       OpResult<std::size_t>& out, std::coroutine_handle<> h) override;
    bool suspend_sync(File& f, OpResult<bool>& out, std::coroutine_handle<> h) override;

  private:
    /// Runs `op` on the pool, then resumes `h` on the io_context.
    void on_pool(std::function<void()> op, std::coroutine_handle<> h);

    boost::asio::io_context& ctx_;
    const std::string& uring_problem_;  // empty: io_uring is used
    std::once_flag pool_once_;
    std::optional<boost::asio::thread_pool> pool_;  // made by the first operation that needs it
};

}  // namespace concbench
