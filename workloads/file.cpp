// file: `files` files of `file_kb` each, made in a fresh temporary directory before the timed
// run and removed after it. Each root task takes one file and either reads it whole
// (mode=read) or writes it whole and fsyncs it (mode=write-fsync), `block_kb` at a time,
// through io.files(): pread/pwrite on the blocking backends, io_uring on the async ones (or
// their thread-pool fallback); the mechanism is recorded in the result's facts.
//
// Every file's content is known (8-byte words from a hash of the file and the word's
// index): reads are checked against a checksum computed when the file was made, and written
// files are read back and checked after the run, outside the timed region.
//
// The files were just written, so with drop_cache=off a read is served from the page cache
// and measures memory copies and the IO path, not the disk; drop_cache=on asks the kernel to
// drop their cached pages (posix_fadvise DONTNEED after an fsync) before the run starts.
#include <fcntl.h>
#include <stdlib.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "workload.hpp"

namespace concbench {
namespace {

namespace fs = std::filesystem;

/// Word `w` of file `f`: SplitMix64's finaliser of both, so every word of every file differs.
constexpr std::uint64_t word(std::uint64_t f, std::uint64_t w) {
    std::uint64_t z = (f << 40) ^ w ^ 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/// An order-sensitive checksum of a file's words, fed a block at a time.
struct Checksum {
    std::uint64_t value = 0;
    void add(const std::byte* p, std::size_t n) {
        for (std::size_t i = 0; i + 8 <= n; i += 8) {
            std::uint64_t x;
            std::memcpy(&x, p + i, 8);
            value = (value ^ x) * 0x100000001B3ULL + 0x9E3779B97F4A7C15ULL;
        }
    }
};

/// Fills `buf` with the words of file `f` that start at byte `offset` (a multiple of 8).
void fill(std::uint64_t f, std::uint64_t offset, std::span<std::byte> buf) {
    for (std::size_t i = 0; i + 8 <= buf.size(); i += 8) {
        const std::uint64_t x = word(f, (offset + i) / 8);
        std::memcpy(buf.data() + i, &x, 8);
    }
}

[[noreturn]] void fail(const std::string& what) {
    throw std::system_error(errno, std::generic_category(), what);
}

/// The directory to make the temporary one in: `dir`, or $TMPDIR, or /var/tmp (on disk on
/// most systems, where /tmp may be a tmpfs that makes fsync free).
std::string base_dir(const std::string& dir) {
    if (dir != "auto") return dir;
    const char* tmp = std::getenv("TMPDIR");
    return tmp && *tmp ? tmp : "/var/tmp";
}

class FileRun final : public WorkloadRun {
  public:
    explicit FileRun(const Params& p)
        : files_(static_cast<std::size_t>(p.integer("files"))),
          file_bytes_(static_cast<std::uint64_t>(p.integer("file_kb")) << 10),
          block_bytes_(static_cast<std::size_t>(p.integer("block_kb")) << 10),
          write_(p.choice("mode") == "write-fsync"),
          drop_cache_(p.choice("drop_cache") == "on"),
          sums_(files_, 0),
          done_(files_, 0) {
        make_dir(base_dir(p.text("dir")));
        try {
            for (std::size_t f = 0; f < files_; ++f) make_file(f);
        } catch (...) {
            remove_dir();
            throw;
        }
    }

    ~FileRun() override { remove_dir(); }
    FileRun(const FileRun&) = delete;
    FileRun& operator=(const FileRun&) = delete;

    std::size_t tasks() const override { return files_; }

    Task<void> task(Io& io, std::size_t f) override {
        Files& files = io.files();
        record_mechanism(files);
        const auto file =
            files.open(path(f), write_ ? Files::Access::read_write : Files::Access::read);
        std::vector<std::byte> buf(block_bytes_);
        Checksum sum;
        for (std::uint64_t off = 0; off < file_bytes_; off += block_bytes_) {
            const std::span<std::byte> block(
                buf.data(), static_cast<std::size_t>(std::min<std::uint64_t>(
                                block_bytes_, file_bytes_ - off)));
            if (write_) {
                fill(f, off, block);
                co_await files.write_at(*file, off, block);
            } else {
                const std::size_t n = co_await files.read_at(*file, off, block);
                if (n != block.size())
                    throw std::runtime_error(fmt::format("{}: {} bytes at offset {}, expected {}",
                                                         path(f), n, off, block.size()));
            }
            sum.add(block.data(), block.size());
        }
        if (write_) co_await files.sync(*file);
        sums_[f] = sum.value;
        done_[f] = 1;
    }

    std::string validate() const override {
        for (std::size_t f = 0; f < files_; ++f) {
            if (!done_[f]) return fmt::format("file {} was not {}", f, write_ ? "written" : "read");
            const std::uint64_t want = expected(f);
            if (sums_[f] != want)
                return fmt::format("file {}: {} checksum {:#018x}, expected {:#018x}", f,
                                   write_ ? "written" : "read", sums_[f], want);
            if (write_) {
                const std::string wrong = check_on_disk(f, want);
                if (!wrong.empty()) return wrong;
            }
        }
        return {};
    }

    std::map<std::string, std::string> facts() const override {
        std::lock_guard lock(m_);
        return {{"file_io", mechanism_},
                {"page_cache", write_ ? "written in the run" : drop_cache_ ? "dropped" : "warm"},
                {"file_dir", base_dir_}};
    }

  private:
    std::string path(std::size_t f) const { return fmt::format("{}/{}", dir_, f); }

    void record_mechanism(const Files& files) {
        std::lock_guard lock(m_);
        if (mechanism_.empty()) mechanism_ = files.mechanism();
    }

    /// The checksum of file f's whole content.
    std::uint64_t expected(std::size_t f) const {
        Checksum sum;
        std::vector<std::byte> buf(block_bytes_);
        for (std::uint64_t off = 0; off < file_bytes_; off += block_bytes_) {
            const std::span<std::byte> block(
                buf.data(), static_cast<std::size_t>(std::min<std::uint64_t>(
                                block_bytes_, file_bytes_ - off)));
            fill(f, off, block);
            sum.add(block.data(), block.size());
        }
        return sum.value;
    }

    void make_dir(const std::string& base) {
        base_dir_ = base;
        struct statvfs vfs {};
        if (::statvfs(base.c_str(), &vfs) != 0)
            throw std::invalid_argument(fmt::format(
                "dir={}: {}; valid is auto or an existing directory", base, std::strerror(errno)));
        const std::uint64_t need = files_ * file_bytes_;
        const std::uint64_t avail = static_cast<std::uint64_t>(vfs.f_bavail) * vfs.f_frsize;
        if (need + (64ULL << 20) > avail)
            throw std::invalid_argument(fmt::format(
                "files={} of file_kb={} need {} MiB but {} has {} MiB free: make fewer or smaller "
                "files, or give another dir",
                files_, file_bytes_ >> 10, need >> 20, base, avail >> 20));
        std::string tmpl = base + "/concbench-file-XXXXXX";
        if (!::mkdtemp(tmpl.data())) fail("mkdtemp in " + base);
        dir_ = tmpl;
    }

    /// Makes file f: empty for write-fsync (the run writes it); its content for read, on the
    /// device and out of the page cache with drop_cache=on.
    void make_file(std::size_t f) {
        const std::string p = path(f);
        const int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0) fail("create " + p);
        try {
            if (!write_) {
                std::vector<std::byte> buf(block_bytes_);
                for (std::uint64_t off = 0; off < file_bytes_; off += block_bytes_) {
                    const std::size_t n = static_cast<std::size_t>(
                        std::min<std::uint64_t>(block_bytes_, file_bytes_ - off));
                    fill(f, off, std::span(buf.data(), n));
                    for (std::size_t done = 0; done < n;) {
                        const ssize_t w = ::pwrite(fd, buf.data() + done, n - done,
                                                   static_cast<off_t>(off + done));
                        if (w < 0 && errno == EINTR) continue;
                        if (w < 0) fail("write " + p);
                        done += static_cast<std::size_t>(w);
                    }
                }
                if (drop_cache_) {
                    // Only clean pages can be dropped: write them out first.
                    if (::fsync(fd) != 0) fail("fsync " + p);
                    if (const int rc = ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED); rc != 0) {
                        errno = rc;
                        fail("posix_fadvise DONTNEED " + p);
                    }
                }
            }
        } catch (...) {
            ::close(fd);
            throw;
        }
        ::close(fd);
    }

    /// What is wrong with written file f as it now reads back, or empty.
    std::string check_on_disk(std::size_t f, std::uint64_t want) const {
        const std::string p = path(f);
        const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return fmt::format("{}: cannot reopen: {}", p, std::strerror(errno));
        Checksum sum;
        std::vector<std::byte> buf(block_bytes_);
        std::uint64_t total = 0;
        for (;;) {
            const ssize_t n = ::read(fd, buf.data(), buf.size());
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            sum.add(buf.data(), static_cast<std::size_t>(n));
            total += static_cast<std::uint64_t>(n);
        }
        ::close(fd);
        if (total != file_bytes_)
            return fmt::format("file {} reads back {} bytes, expected {}", f, total, file_bytes_);
        if (sum.value != want)
            return fmt::format("file {} reads back with checksum {:#018x}, expected {:#018x}", f,
                               sum.value, want);
        return {};
    }

    void remove_dir() noexcept {
        if (dir_.empty()) return;
        std::error_code ec;
        fs::remove_all(dir_, ec);  // best effort: a leftover is named concbench-file-*
        dir_.clear();
    }

    std::size_t files_;
    std::uint64_t file_bytes_;
    std::size_t block_bytes_;
    bool write_;
    bool drop_cache_;
    std::string base_dir_;
    std::string dir_;  // the temporary directory; empty once removed
    // Slot f is written by task f only, and read after every task ended.
    std::vector<std::uint64_t> sums_;
    std::vector<unsigned char> done_;

    mutable std::mutex m_;
    std::string mechanism_;  // guarded by m_
};

}  // namespace

CONCBENCH_WORKLOAD(file, FileRun)
    ->kind(Kind::io)
    ->description(
        "`files` files of `file_kb` each, read whole (mode=read) or written and fsync'ed "
        "(mode=write-fsync) concurrently, checked by checksum")
    ->param(ParamSpec::integer("files", 64, 1, 1'000'000, "files, one root task each"))
    ->param(ParamSpec::integer("file_kb", 1024, 1, 16 << 20, "size of each file in KiB"))
    ->param(ParamSpec::integer("block_kb", 128, 1, 64 << 10,
                               "bytes per read or write call, in KiB"))
    ->param(ParamSpec::choice("mode", {"read", "write-fsync"}, "read",
                              "read: read each file whole; write-fsync: write it whole, then fsync"))
    ->param(ParamSpec::choice("drop_cache", {"off", "on"}, "off",
                              "on: drop the files' pages from the page cache before a read run "
                              "(posix_fadvise DONTNEED), so that reads reach the device"))
    ->param(ParamSpec::text("dir", "auto",
                            "where to make the temporary directory: auto ($TMPDIR, else /var/tmp) "
                            "or a directory"))
    ->smoke({{"files", "4"}, {"file_kb", "64"}, {"block_kb", "16"}});

}  // namespace concbench
