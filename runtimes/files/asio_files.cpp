#include "asio_files.hpp"

#include <fmt/format.h>
#include <liburing.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/random_access_file.hpp>
#include <boost/asio/read_at.hpp>
#include <boost/asio/write_at.hpp>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string_view>
#include <system_error>

#include "blocking_files.hpp"

#if !defined(BOOST_ASIO_HAS_IO_URING) || !defined(BOOST_ASIO_HAS_FILE)
#error "concbench builds Asio with io_uring: BOOST_ASIO_HAS_IO_URING comes from meson.build"
#endif

namespace concbench {

namespace asio = boost::asio;

namespace {

/// Why io_uring cannot be used in this process, or empty if it can: asked once, by setting
/// up (and closing) a small ring, which is what Asio would do on the first file object.
const std::string& uring_problem() {
    static const std::string problem = []() -> std::string {
        if (const char* v = std::getenv("CONCBENCH_IO_URING"); v && std::string_view(v) == "off")
            return "CONCBENCH_IO_URING=off";
        io_uring ring{};
        if (const int rc = io_uring_queue_init(4, &ring, 0); rc < 0)
            return fmt::format("io_uring_setup: {}", std::strerror(-rc));
        io_uring_queue_exit(&ring);
        return {};
    }();
    return problem;
}

using RandomAccessFile = asio::basic_random_access_file<asio::io_context::executor_type>;

/// A file opened through Asio, its operations on the io_context's io_uring.
class UringFile final : public File {
  public:
    UringFile(asio::io_context& ctx, const std::string& path, Files::Access access)
        : file_(ctx.get_executor()) {
        boost::system::error_code ec;
        file_.open(path,
                   access == Files::Access::read ? RandomAccessFile::read_only
                                                 : RandomAccessFile::read_write,
                   ec);
        if (ec) throw std::system_error(ec, "open " + path);
    }
    RandomAccessFile& file() noexcept { return file_; }

  private:
    RandomAccessFile file_;
};

UringFile& as_uring(File& f) {
    auto* p = dynamic_cast<UringFile*>(&f);
    if (!p) throw std::logic_error("a file used with a Files that did not open it");
    return *p;
}

}  // namespace

AsioFiles::AsioFiles(asio::io_context& ctx) : ctx_(ctx), uring_problem_(uring_problem()) {}

AsioFiles::~AsioFiles() = default;  // joins the pool: every operation has resumed its task

std::unique_ptr<File> AsioFiles::open(const std::string& path, Access access) {
    if (!uring_problem_.empty()) return posix_file::open(path, access);
    return std::make_unique<UringFile>(ctx_, path, access);
}

std::string AsioFiles::mechanism() const {
    if (uring_problem_.empty()) return "io_uring (fsync on a thread pool)";
    return fmt::format("thread pool (io_uring unavailable: {})", uring_problem_);
}

void AsioFiles::on_pool(std::function<void()> op, std::coroutine_handle<> h) {
    std::call_once(pool_once_, [this] { pool_.emplace(kPoolThreads); });
    // The guard keeps the loop running while the operation is away on the pool.
    asio::post(*pool_, [op = std::move(op), h, &ctx = ctx_,
                        guard = asio::make_work_guard(ctx_)] {
        op();
        asio::post(ctx, [h] { h.resume(); });
    });
}

bool AsioFiles::suspend_read(File& f, std::uint64_t offset, std::span<std::byte> buf,
                             OpResult<std::size_t>& out, std::coroutine_handle<> h) {
    if (!uring_problem_.empty()) {
        PosixFile& pf = posix_file::cast(f);
        on_pool(
            [&pf, offset, buf, &out] {
                try {
                    out.value = posix_file::read_at(pf, offset, buf);
                } catch (...) {
                    out.error = std::current_exception();
                }
            },
            h);
        return true;
    }
    asio::async_read_at(as_uring(f).file(), offset, asio::buffer(buf.data(), buf.size()),
                        [&out, h](const boost::system::error_code& ec, std::size_t n) {
                            if (ec && ec != asio::error::eof)
                                out.error = std::make_exception_ptr(std::system_error(ec, "read"));
                            else
                                out.value = n;  // short only at the end of the file
                            h.resume();
                        });
    return true;
}

bool AsioFiles::suspend_write(File& f, std::uint64_t offset, std::span<const std::byte> buf,
                              OpResult<std::size_t>& out, std::coroutine_handle<> h) {
    if (!uring_problem_.empty()) {
        PosixFile& pf = posix_file::cast(f);
        on_pool(
            [&pf, offset, buf, &out] {
                try {
                    out.value = posix_file::write_at(pf, offset, buf);
                } catch (...) {
                    out.error = std::current_exception();
                }
            },
            h);
        return true;
    }
    asio::async_write_at(as_uring(f).file(), offset, asio::buffer(buf.data(), buf.size()),
                         [&out, h](const boost::system::error_code& ec, std::size_t n) {
                             if (ec)
                                 out.error =
                                     std::make_exception_ptr(std::system_error(ec, "write"));
                             else
                                 out.value = n;
                             h.resume();
                         });
    return true;
}

bool AsioFiles::suspend_sync(File& f, OpResult<bool>& out, std::coroutine_handle<> h) {
    if (!uring_problem_.empty()) {
        PosixFile& pf = posix_file::cast(f);
        on_pool(
            [&pf, &out] {
                try {
                    posix_file::sync(pf);
                    out.value = true;
                } catch (...) {
                    out.error = std::current_exception();
                }
            },
            h);
        return true;
    }
    RandomAccessFile& file = as_uring(f).file();
    on_pool(
        [&file, &out] {
            boost::system::error_code ec;
            file.sync_all(ec);  // fsync(2) on the file's descriptor
            if (ec)
                out.error = std::make_exception_ptr(std::system_error(ec, "fsync"));
            else
                out.value = true;
        },
        h);
    return true;
}

}  // namespace concbench
