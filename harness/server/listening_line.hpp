// The delay server's one handshake: once it accepts connections, `concbench serve` prints
// "listening on HOST:PORT" as the first line of its stdout, and flushes it. The fixture reads
// it with address_in(); scripts read it with wait_for_server in scripts/lib.sh.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace concbench {

inline constexpr std::string_view kListeningOn = "listening on ";

/// "listening on 127.0.0.1:8080\n".
inline std::string listening_line(const std::string& address) {
    return std::string(kListeningOn) + address + "\n";
}

/// The address in `output` once its first line is complete and is the handshake; nullopt if
/// it is not (yet).
inline std::optional<std::string> address_in(std::string_view output) {
    const std::size_t eol = output.find('\n');
    if (eol == std::string_view::npos || output.substr(0, kListeningOn.size()) != kListeningOn)
        return std::nullopt;
    return std::string(output.substr(kListeningOn.size(), eol - kListeningOn.size()));
}

}  // namespace concbench
