#pragma once
// What every command gets: parsed options, a Runtime built from the config, and the output
// settings. Exit codes are documented in docs/cli.md.

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "args.h"
#include "azkv/runtime.h"

namespace azkv::cli {

enum ExitCode {
    kExitOk = 0,
    kExitFailure = 1,
    kExitUsage = 2,
    kExitNotFound = 3,
    kExitDenied = 4,
    kExitAuth = 5,
    kExitUnavailable = 6,
    kExitBadInput = 7,
    kExitVerifyFailed = 8,
};

// Prints "azkv: <status>" to stderr and returns the exit code for its category.
int Fail(const Status& status);
int Usage(const std::string& message);

// Loads the config (--config, AZKV_CONFIG, /etc/azkv/azkv.json) and builds the Runtime.
StatusOr<std::shared_ptr<Runtime>> OpenRuntime(const Args& args);

// --output json|table
bool WantJson(const Args& args);
void PrintJson(const nlohmann::json& j);

StatusOr<std::vector<uint8_t>> ReadInput(const std::string& path);             // "-" = stdin
Status WriteOutput(const std::string& path, const uint8_t* data, size_t len);  // "-" = stdout

int RunKeyCommand(const std::string& command, const std::vector<std::string>& rest);
int RunSign(const std::vector<std::string>& rest);
int RunVerify(const std::vector<std::string>& rest);

}  // namespace azkv::cli
