#pragma once
// Runs a helper program (the Azure CLI) without a shell, with a deadline and bounded output.

#include <chrono>
#include <string>
#include <vector>

#include "azkv/util/secret.h"
#include "azkv/util/status.h"

namespace azkv::identity {

struct ProcessResult {
    int exit_code = -1;  // -1 when it died of a signal or its status could not be collected
    // stdout may hold a token: it lives in wiping memory.
    std::vector<char, WipingAllocator<char>> out;
    std::string err;
};

// Runs `path` with `argv` (argv[0] included) and the process environment, stdin from /dev/null.
// Kills the program (and its process group) when it runs past `timeout` or writes more than
// `max_output` bytes to stdout; both are errors.
StatusOr<ProcessResult> RunProcess(const std::string& path, const std::vector<std::string>& argv,
                                   std::chrono::milliseconds timeout, size_t max_output);

}  // namespace azkv::identity
