// http: `requests` GETs against an HTTP server, at most `concurrency` in flight, each
// answered after `delay_ms` with `body_bytes` bytes that are checked byte for byte, or any
// path on a server of one's own with the check `expect` names. The request logic is
// HttpRun's (http_run.hpp), shared with `mixed`.
#include "http_run.hpp"

namespace concbench {

CONCBENCH_WORKLOAD(http, HttpRun)
    ->kind(Kind::io)
    ->description(
        "GET requests to an HTTP delay server, each answered after `delay_ms` with "
        "`body_bytes` checked bytes (or any path on a server of your own: path, expect)");
[[maybe_unused]] static WorkloadDef* const http_declared =
    HttpRun::declare(concbench_workload_http)->smoke({{"requests", "20"}, {"concurrency", "4"}});

}  // namespace concbench
