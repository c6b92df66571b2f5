#include "env_info.hpp"

#include <oneapi/tbb/version.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <boost/version.hpp>
#include <chrono>
#include <fstream>
#include <thread>

#include "build_info.hpp"
#include "result.hpp"

namespace concbench {

namespace {
std::string cpu_model() {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
    return "unknown";
}

nlohmann::json first_line_or_null(const char* path) {
    std::ifstream in(path);
    std::string line;
    if (std::getline(in, line)) return line;
    return nullptr;
}

std::string utc_now() {
    const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}
}  // namespace

nlohmann::json environment(const std::string& command_line) {
    utsname u{};
    uname(&u);
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    return {
        {"schema_version", kSchemaVersion},
        {"date", utc_now()},
        {"command_line", command_line},
        {"host", host},
        {"cpu_model", cpu_model()},
        {"cores", std::thread::hardware_concurrency()},
        {"kernel", std::string(u.sysname) + " " + u.release},
        {"machine", u.machine},
        {"cpu_governor",
         first_line_or_null("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor")},
        {"compiler", build_info::compiler},
        {"compiler_flags", build_info::compiler_flags},
        {"build_type", build_info::build_type},
        {"git_describe", build_info::git_describe},
        {"boost_version", BOOST_LIB_VERSION},
        {"onetbb_version", TBB_VERSION_STRING},
    };
}

}  // namespace concbench
