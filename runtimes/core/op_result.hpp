// OpResult: where a backend hook puts the outcome of an operation, shared by every IO facet
// (Io's scheduling operations, Net's network operations).
#pragma once

#include <exception>
#include <optional>
#include <utility>

namespace concbench {

/// A value or an exception: a hook that finishes inline fills it before returning false; an
/// async one fills it before resuming the awaiting coroutine.
template <class T>
struct OpResult {
    std::optional<T> value;
    std::exception_ptr error;
    T take() {
        if (error) std::rethrow_exception(error);
        return std::move(*value);
    }
};

}  // namespace concbench
