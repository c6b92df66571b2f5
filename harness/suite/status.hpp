// How a run ended: one enum for the whole harness, and its one spelling in results.jsonl.
#pragma once

#include <optional>
#include <ostream>
#include <string_view>

namespace concbench {

enum class Status {
    ok,       // ran, validated, and its failed operations (if any) were within the limit
    failed,   // the run reported an error, or too many of its operations failed
    timeout,  // killed by the harness at the wall-clock timeout
    crashed,  // the child died (a signal) or exited without a result
    invalid,  // ran to the end, but the validator refused its results
};

/// "ok", "failed", "timeout", "crashed", "invalid": the strings of the results contract.
const char* to_string(Status s);
/// The status spelled `text`, or nullopt if it is none of them.
std::optional<Status> status_from_string(std::string_view text);
/// "ok, failed, timeout, crashed or invalid": the valid spellings, for error messages.
const char* status_choices();

inline std::ostream& operator<<(std::ostream& out, Status s) {
    return out << to_string(s);
}

}  // namespace concbench
