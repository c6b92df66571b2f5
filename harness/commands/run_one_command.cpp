// `concbench run-one`: the command line of the child's side of a run (run_one.cpp): one
// cell in this process, its result as one JSON line on --result-fd.
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "command.hpp"
#include "run_one.hpp"
#include "run_options.hpp"
#include "validators.hpp"

namespace concbench {

namespace {

void write_fd(int fd, const std::string& text) {
    std::size_t off = 0;
    while (off < text.size()) {
        const ssize_t n = ::write(fd, text.data() + off, text.size() - off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0)
            throw std::runtime_error(fmt::format("write to fd {}: {}", fd, std::strerror(errno)));
        off += static_cast<std::size_t>(n);
    }
}

struct RunOneArgs {
    std::string backend, workload;
    std::vector<std::string> params;
    int result_fd = STDOUT_FILENO;
    CellOptions cell;
};

}  // namespace

CommandMain add_run_one_command(CLI::App& app) {
    auto a = std::make_shared<RunOneArgs>();
    auto* cmd = app.add_subcommand("run-one", "run one cell in this process, print its JSON");
    cmd->add_option("--backend", a->backend, "backend name")->required();
    cmd->add_option("--workload", a->workload, "workload name")->required();
    cmd->add_option("--param", a->params, "name=value; repeatable")->allow_extra_args(false);
    cmd->add_option("--result-fd", a->result_fd, "write the result JSON to this fd")
        ->capture_default_str()
        ->check(integer());
    cmd->add_option("--server", a->cell.server,
                    "address of the delay server for target=auto (default: start one)");
    cmd->add_option("--server-threads", a->cell.server_threads,
                    "threads of the server started when --server is not given")
        ->capture_default_str()
        ->check(integer());
    cmd->add_option("--server-fault", a->cell.server_faults,
                    "faults of the server started when --server is not given");
    cmd->add_option("--max-error-rate", a->cell.max_error_rate,
                    "a run whose failed operations exceed this fraction (0..1) is failed")
        ->capture_default_str()
        ->check(number());
    return [a](const std::string&) {
        const Cell cell = resolve_single_cell(a->backend, a->workload, a->params);
        check_error_rate(a->cell.max_error_rate);
        if (!a->cell.server_faults.empty())
            a->cell.server_faults = normalized_faults(a->cell.server_faults);
        const Measurement m = run_cell(cell, a->cell);
        write_fd(a->result_fd, to_json(m).dump() + "\n");
        return m.status == Status::ok ? 0 : 1;
    };
}

}  // namespace concbench
