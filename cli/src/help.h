#pragma once
// Usage text for every level: `azkv --help`, `azkv GROUP --help`, `azkv GROUP COMMAND --help`.

#include <string>

namespace azkv::cli {

// Prints the help for `topic` ("", "key", "key create", "sign", ...); false if unknown.
bool PrintHelp(const std::string& topic);

}  // namespace azkv::cli
