// RequestError: a failed connect or request, with the kind of failure that a workload counts
// errors by. Part of the installed plugin API, so it needs no Boost header.
#pragma once

#include <stdexcept>
#include <string>

namespace concbench {

/// What kind of failure a RequestError is.
enum class ErrorKind {
    refused,    // nobody listens there
    reset,      // the peer reset the connection
    closed,     // the peer closed the connection before the response was complete
    timeout,    // the connection's timeout passed
    resources,  // this process ran out of something: open files, memory, buffers
    too_large,  // the body is larger than the caller's limit (refused before it is read)
    cancelled,  // a stop request ended it (http_get with a stop token)
    other,
};

/// The kind's name as results count it ("refused", ..., "body_too_large").
inline const char* to_string(ErrorKind k) {
    switch (k) {
        case ErrorKind::refused:
            return "refused";
        case ErrorKind::reset:
            return "reset";
        case ErrorKind::closed:
            return "closed";
        case ErrorKind::timeout:
            return "timeout";
        case ErrorKind::resources:
            return "resources";
        case ErrorKind::too_large:
            return "body_too_large";
        case ErrorKind::cancelled:
            return "cancelled";
        case ErrorKind::other:
            return "other";
    }
    return "other";
}

/// A failed connect or request: what() is "connection refused (127.0.0.1:8080)".
struct RequestError : std::runtime_error {
    RequestError(ErrorKind k, const std::string& what) : std::runtime_error(what), kind(k) {}
    ErrorKind kind;
};

}  // namespace concbench
