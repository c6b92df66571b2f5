#include "plugins.hpp"

#include <dlfcn.h>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <stdexcept>

#include "registry.hpp"
#include "usage_error.hpp"
#include "workload.hpp"

namespace concbench {

namespace fs = std::filesystem;

namespace {

struct Loaded {
    std::set<std::string> real_paths;  // every plugin loaded, by canonical path
    std::vector<std::string> files;    // those given as files, for child processes
};

Loaded& loaded() {
    static Loaded l;
    return l;
}

const char* kWhatIsValid =
    "give a shared module built against concbench's installed headers (pkg-config concbench) "
    "with CONCBENCH_PLUGIN() in it";

/// Loads one plugin file; returns its canonical path, or "" if it was loaded already.
std::string load_file(const std::string& path, const std::string& from) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        throw UsageError(fmt::format("plugin {}{}: no such file: {}", path, from, kWhatIsValid));
    const std::string real = fs::canonical(path, ec).string();
    if (loaded().real_paths.count(real)) return {};
    // Registrations made by the module's static initialisers are held apart until the module
    // is known to be a usable plugin.
    workload_registry::begin_staging();
    void* handle = dlopen(real.c_str(), RTLD_NOW | RTLD_LOCAL);
    const auto refuse = [&](const std::string& why) {
        workload_registry::discard_staged();  // before dlclose: they hold the module's code
        if (handle) dlclose(handle);
        return UsageError(fmt::format("plugin {}{}: {}", path, from, why));
    };
    if (!handle) throw refuse(fmt::format("cannot load it: {}", dlerror()));
    using VersionFn = int();
    auto* version = reinterpret_cast<VersionFn*>(dlsym(handle, "concbench_plugin_api_version"));
    if (!version) throw refuse(fmt::format("not a concbench plugin: {}", kWhatIsValid));
    if (const int v = version(); v != CONCBENCH_PLUGIN_API_VERSION)
        throw refuse(fmt::format(
            "built against plugin API version {}, this concbench has version {}: rebuild it "
            "against this concbench's headers",
            v, CONCBENCH_PLUGIN_API_VERSION));
    const std::size_t before = workloads().size();
    const auto taken = workload_registry::commit_staged();
    if (!taken.empty()) {
        dlclose(handle);  // nothing of it was listed
        throw UsageError(fmt::format(
            "plugin {}{}: workload name {} is already taken (by a built-in workload, an earlier "
            "plugin, or twice in this one): rename it in the plugin",
            path, from, fmt::join(taken, ", ")));
    }
    if (workloads().size() == before)
        throw UsageError(fmt::format("plugin {}{}: registers no workload: declare one with "
                                     "CONCBENCH_WORKLOAD(name, Type)",
                                     path, from));
    loaded().real_paths.insert(real);
    return real;  // the module stays loaded for the life of the process
}

std::vector<std::string> split_path(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t end = std::min(text.find(':', start), text.size());
        if (end > start) out.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

}  // namespace

void load_plugins(const std::vector<std::string>& files, const char* search_path) {
    if (const auto twice = workload_registry::duplicate_names(); !twice.empty())
        throw std::logic_error(fmt::format("built-in workload {} is registered twice: rename one",
                                           fmt::join(twice, ", ")));
    for (const auto& f : files)
        if (std::string real = load_file(f, ""); !real.empty()) loaded().files.push_back(real);
    if (!search_path) return;
    for (const auto& dir : split_path(search_path)) {
        std::error_code ec;
        if (!fs::is_directory(dir, ec))
            throw UsageError(fmt::format(
                "CONCBENCH_PLUGIN_PATH: {} is not a folder: give folders of plugin .so files, "
                "separated by ':'",
                dir));
        std::vector<std::string> modules;
        for (const auto& entry : fs::directory_iterator(dir, ec))
            if (entry.path().extension() == ".so") modules.push_back(entry.path().string());
        std::sort(modules.begin(), modules.end());
        for (const auto& m : modules) load_file(m, " (from CONCBENCH_PLUGIN_PATH)");
    }
}

const std::vector<std::string>& plugin_files() {
    return loaded().files;
}

}  // namespace concbench
