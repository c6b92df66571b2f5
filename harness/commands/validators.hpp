// Numbers on the command line follow --param's grammar: CLI11 alone would take "0x3" or " 2"
// for an integer, and "inf" or "0x1p3" for a number.
#pragma once

#include <CLI/CLI.hpp>

namespace concbench {

/// Decimal digits, as --param reads an integer.
CLI::Validator integer();

/// A finite decimal number.
CLI::Validator number();

}  // namespace concbench
