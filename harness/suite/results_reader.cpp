#include "results_reader.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <functional>
#include <system_error>

#include "result.hpp"
#include "summary.hpp"
#include "usage_error.hpp"

namespace concbench {

using nlohmann::json;

namespace {

std::string type_of(const json& v) {
    if (v.is_number_integer()) return "an integer";
    if (v.is_number()) return "a number";
    const std::string name = v.type_name();
    return (v.is_array() || v.is_object() ? "an " : "a ") + name;
}

std::string wrong_type(const char* field, const json& v, const char* wanted) {
    return fmt::format("\"{}\" is {}, not {}", field, type_of(v), wanted);
}

std::optional<std::string> required_string(const json& r, const char* field) {
    if (!r.contains(field)) return fmt::format("no \"{}\" field", field);
    const json& v = r.at(field);
    if (!v.is_string()) return wrong_type(field, v, "a string");
    if (v.get_ref<const std::string&>().empty()) return fmt::format("\"{}\" is empty", field);
    return std::nullopt;
}

/// Parameters are flat: names to integers or strings (numbers tolerated).
std::optional<std::string> params_object(const json& r, const char* field, bool required) {
    if (!r.contains(field)) {
        if (!required) return std::nullopt;
        return fmt::format("no \"{}\" field", field);
    }
    const json& v = r.at(field);
    if (!v.is_object()) return wrong_type(field, v, "an object");
    for (const auto& [k, x] : v.items())
        if (!x.is_string() && !x.is_number())
            return fmt::format("\"{}\" has {} {}, not a number or a string", field, k, type_of(x));
    return std::nullopt;
}

std::optional<std::string> schema_and_names(const json& r) {
    if (!r.contains("schema_version")) return "no \"schema_version\" field";
    const json& v = r.at("schema_version");
    if (!v.is_number_integer()) return wrong_type("schema_version", v, "an integer");
    if (v.get<std::int64_t>() != kSchemaVersion)
        return fmt::format("schema_version {}, but this build reads version {}", v.dump(),
                           kSchemaVersion);
    for (const char* f : {"backend", "workload"})
        if (auto p = required_string(r, f)) return p;
    if (auto p = params_object(r, "params", true)) return p;
    if (auto p = params_object(r, "backend_params", false)) return p;
    // Written since the reports stopped asking the registries; older lines lack them.
    if (auto p = params_object(r, "param_defaults", false)) return p;
    if (r.contains("backend_label") && !r.at("backend_label").is_string())
        return wrong_type("backend_label", r.at("backend_label"), "a string");
    if (!r.contains("repetition")) return "no \"repetition\" field";
    const json& rep = r.at("repetition");
    if (!rep.is_number_unsigned() && !(rep.is_number_integer() && rep.get<std::int64_t>() >= 0))
        return fmt::format("\"repetition\" is {}, not a non-negative integer", rep.dump());
    return std::nullopt;
}

std::optional<std::string> status_and_time(const json& r) {
    if (auto p = required_string(r, "status")) return p;
    const auto& status = r.at("status").get_ref<const std::string&>();
    const std::optional<Status> known = status_from_string(status);
    if (!known) return fmt::format("unknown status \"{}\" ({})", status, status_choices());
    if (r.contains("error") && !r.at("error").is_string())
        return wrong_type("error", r.at("error"), "a string");
    const bool ok = *known == Status::ok;
    if (!r.contains("wall_s")) return ok ? std::optional<std::string>("an ok run with no \"wall_s\"")
                                         : std::nullopt;
    const json& w = r.at("wall_s");
    if (!ok) return w.is_null() || w.is_number() ? std::nullopt
                                                 : std::optional(wrong_type("wall_s", w, "a number"));
    if (!w.is_number()) return wrong_type("wall_s", w, "a number");
    const double wall = w.get<double>();
    if (!(wall > 0) || !std::isfinite(wall))
        return fmt::format("an ok run with \"wall_s\" {}: a time must be above 0", w.dump());
    return std::nullopt;
}

/// The optional measurements: numbers (or null) where present.
std::optional<std::string> measurements(const json& r) {
    for (const char* f : {"user_s", "sys_s", "peak_rss_bytes", "voluntary_ctx_switches",
                          "involuntary_ctx_switches", "ops", "ops_per_s", "ideal_wall_s",
                          "error_rate", "max_error_rate"})
        if (r.contains(f) && !r.at(f).is_null() && !r.at(f).is_number())
            return wrong_type(f, r.at(f), "a number");
    if (r.contains("validated") && !r.at("validated").is_boolean())
        return wrong_type("validated", r.at("validated"), "true or false");
    if (r.contains("latency_s") && !r.at("latency_s").is_null()) {
        const json& l = r.at("latency_s");
        if (!l.is_object()) return wrong_type("latency_s", l, "an object");
        for (const auto& [k, x] : l.items())
            if (!x.is_number()) return fmt::format("\"latency_s\" has {} {}", k, type_of(x));
    }
    if (r.contains("errors")) {
        const json& e = r.at("errors");
        if (!e.is_object()) return wrong_type("errors", e, "an object");
        for (const auto& [k, x] : e.items())
            if (!x.is_number_unsigned())
                return fmt::format("\"errors\" has {} {}, not a count", k, x.dump());
    }
    if (r.contains("facts")) {
        const json& f = r.at("facts");
        if (!f.is_object()) return wrong_type("facts", f, "an object");
        for (const auto& [k, x] : f.items())
            if (!x.is_string()) return fmt::format("\"facts\" has {} {}", k, type_of(x));
    }
    return std::nullopt;
}

/// Opens `path` for reading; -1 when there is no such file. Refuses anything but a regular
/// file (a symlink, a FIFO that would block, /dev/zero that never ends) with one line.
int open_regular(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) return -1;
    if (fd < 0 && errno == ELOOP)
        throw UsageError(fmt::format("{} is a symbolic link: refusing to read results through it",
                                     path));
    if (fd < 0) throw std::system_error(errno, std::generic_category(), "open " + path);
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        throw UsageError(fmt::format("{} is not a regular file: refusing to read results from it",
                                     path));
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return fd;
}

/// Calls on_line(number, text, too_long) for each line; a line past the cap is not kept.
void for_each_line(int fd, const std::string& path,
                   const std::function<void(std::size_t, const std::string&, bool)>& on_line) {
    std::array<char, 1 << 16> buf;
    std::string line;
    bool too_long = false;
    std::size_t number = 1;
    for (;;) {
        const ssize_t n = ::read(fd, buf.data(), buf.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw std::system_error(errno, std::generic_category(), "read " + path);
        if (n == 0) break;
        for (const char* p = buf.data(); p < buf.data() + n;) {
            const char* nl = static_cast<const char*>(std::memchr(p, '\n', buf.data() + n - p));
            const char* end = nl ? nl : buf.data() + n;
            const auto len = static_cast<std::size_t>(end - p);
            if (!too_long && line.size() + len > kMaxResultLineBytes) {
                too_long = true;
                line = std::string();
            }
            if (!too_long) line.append(p, len);
            p = end;
            if (!nl) break;
            on_line(number++, line, too_long);
            line.clear();
            too_long = false;
            ++p;
        }
    }
    if (!line.empty() || too_long) on_line(number, line, too_long);
}

}  // namespace

std::optional<std::string> record_problem(const json& r) {
    if (!r.is_object()) return fmt::format("{}, not an object", type_of(r));
    if (auto p = schema_and_names(r)) return p;
    if (auto p = status_and_time(r)) return p;
    return measurements(r);
}

RunSet read_results(const std::string& path) {
    RunSet set;
    const int fd = open_regular(path);
    if (fd < 0) return set;
    const std::string name = path.substr(path.rfind('/') + 1);
    auto skip = [&](std::size_t number, const std::string& why) {
        set.problems.push_back(fmt::format("{}:{}: {} (skipped)", name, number, why));
    };
    try {
        for_each_line(fd, path, [&](std::size_t number, const std::string& line, bool too_long) {
            if (too_long)
                return skip(number, fmt::format("longer than {} MiB", kMaxResultLineBytes >> 20));
            if (line.find_first_not_of(" \t\r") == std::string::npos) return;
            json r = json::parse(line, nullptr, false);
            if (r.is_discarded()) return skip(number, "not valid JSON");
            if (auto why = record_problem(r)) return skip(number, *why);
            set.records.push_back(std::move(r));
        });
    } catch (...) {
        ::close(fd);
        throw;
    }
    ::close(fd);
    return set;
}

}  // namespace concbench
