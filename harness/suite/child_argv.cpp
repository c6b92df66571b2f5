#include "child_argv.hpp"

#include <fmt/format.h>

#include "plugins.hpp"

namespace concbench {

std::vector<std::string> child_argv(const std::string& exe, const Cell& cell,
                                    const std::string& server, double max_error_rate) {
    std::vector<std::string> argv = {exe,
                                     "run-one",
                                     "--backend",
                                     cell.backend->name(),
                                     "--workload",
                                     cell.workload->name(),
                                     "--result-fd",
                                     "3",
                                     "--max-error-rate",
                                     fmt::format("{}", max_error_rate)};
    if (!server.empty()) {
        argv.push_back("--server");
        argv.push_back(server);
    }
    for (const auto* params : {&cell.workload_params, &cell.backend_params})
        for (const auto& [k, v] : *params) {
            argv.push_back("--param");
            argv.push_back(k + "=" + to_string(v));
        }
    for (const auto& plugin : plugin_files()) {  // CONCBENCH_PLUGIN_PATH is inherited
        argv.push_back("--plugin");
        argv.push_back(plugin);
    }
    return argv;
}

std::string cell_label(const Cell& cell) {
    std::string wp = describe_non_default(cell.workload->params(), cell.workload_params);
    std::string bp = describe_non_default(cell.backend->params(), cell.backend_params);
    return fmt::format("{}{}{} on {}{}{}", cell.workload->name(), wp.empty() ? "" : " ", wp,
                       cell.backend->name(), bp.empty() ? "" : " ", bp);
}

}  // namespace concbench
