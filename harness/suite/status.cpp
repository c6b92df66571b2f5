#include "status.hpp"

#include <array>
#include <utility>

namespace concbench {

namespace {
constexpr std::array<std::pair<Status, const char*>, 5> kNames = {{
    {Status::ok, "ok"},
    {Status::failed, "failed"},
    {Status::timeout, "timeout"},
    {Status::crashed, "crashed"},
    {Status::invalid, "invalid"},
}};
}  // namespace

const char* to_string(Status s) {
    for (const auto& [status, name] : kNames)
        if (status == s) return name;
    return "?";
}

std::optional<Status> status_from_string(std::string_view text) {
    for (const auto& [status, name] : kNames)
        if (text == name) return status;
    return std::nullopt;
}

const char* status_choices() {
    return "ok, failed, timeout, crashed or invalid";
}

}  // namespace concbench
