// Durations and sizes as a person reads them, the same in every table.
#pragma once

#include <string>

namespace concbench {

/// "12.3 ms", "1.05 s"; "-" for NaN.
std::string format_seconds(double s);
/// "512 B", "1.5 KiB", "1.2 GiB".
std::string format_bytes(double bytes);

}  // namespace concbench
