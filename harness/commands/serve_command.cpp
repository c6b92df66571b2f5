// `concbench serve`: the command line of the delay server (server/http_server).
#include <fmt/format.h>

#include <memory>

#include "command.hpp"
#include "http_server.hpp"
#include "server_option_error.hpp"
#include "usage_error.hpp"
#include "validators.hpp"

namespace concbench {

namespace {

struct ServeArgs {
    ServerOptions server;
    std::vector<std::string> faults;
    std::int64_t stall_ms = ServerOptions{}.stall.count();
};

/// The server's options from the command line. Throws UsageError.
ServerOptions server_options(const ServeArgs& a) {
    ServerOptions o = a.server;
    if (!a.faults.empty())
        o.faults = FaultRates::parse(fmt::format("{}", fmt::join(a.faults, ",")));
    if (a.stall_ms < 1 || a.stall_ms > 3'600'000)
        throw UsageError(
            fmt::format("--stall-ms {} is out of range: valid is 1..3600000", a.stall_ms));
    o.stall = std::chrono::milliseconds(a.stall_ms);
    return o;
}

}  // namespace

CommandMain add_serve_command(CLI::App& app) {
    auto a = std::make_shared<ServeArgs>();
    auto* serve = app.add_subcommand("serve", "run the HTTP delay server until SIGINT/SIGTERM");
    serve->add_option("--port", a->server.port, "port to listen on (0: a free one)")
        ->capture_default_str()
        ->check(integer());
    serve->add_option("--bind", a->server.bind, "loopback address to listen on")
        ->capture_default_str();
    serve->add_option("--threads", a->server.threads, "threads serving")
        ->capture_default_str()
        ->check(integer());
    serve
        ->add_option("--fault", a->faults,
                     "KIND=P[,KIND=P]: per request, with probability P (0.01 or 1%), drop the "
                     "connection, reset it mid-response, answer 500, or stall (KIND: drop, "
                     "reset, 500, stall); repeatable")
        ->allow_extra_args(false);
    serve->add_option("--fault-seed", a->server.fault_seed, "seed of the fault draws")
        ->capture_default_str()
        ->check(integer());
    serve
        ->add_option("--stall-ms", a->stall_ms,
                     "a stalled request is dropped after this long unless the client gives up "
                     "first")
        ->capture_default_str()
        ->check(integer());
    return [a](const std::string&) {
        try {
            return run_server(server_options(*a));
        } catch (const ServerOptionError& e) {
            throw UsageError(e.what());
        }
    };
}

}  // namespace concbench
