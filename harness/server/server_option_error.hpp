// A server option that is not valid (a --fault spec, a non-loopback --bind, a thread count out
// of range): the delay server's own error, so that it does not depend on the CLI's types.
// The commands that take these options report it as bad input (exit 2).
#pragma once

#include <stdexcept>

namespace concbench {

struct ServerOptionError : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

}  // namespace concbench
