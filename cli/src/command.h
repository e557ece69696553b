#pragma once
// What every command gets: parsed options, a Runtime built from the config, and the output
// settings. Exit codes are documented in docs/cli.md and azkv(1).

#include <iostream>
#include <memory>
#include <set>
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
int ExitCodeFor(ErrorCode code);
int Usage(const std::string& message);

// Options every command that talks to a vault accepts, plus `extra`.
std::set<std::string> CommonFlags(std::set<std::string> extra = {});

// Parses `argv` against `value_flags`/`switches`; on error prints usage and sets `exit_code`.
std::optional<Args> ParseOrUsage(const std::vector<std::string>& argv,
                                 const std::set<std::string>& value_flags,
                                 const std::set<std::string>& switches, int& exit_code);

// Loads the config (--config, AZKV_CONFIG, /etc/azkv/azkv.json) and builds the Runtime.
StatusOr<std::shared_ptr<Runtime>> OpenRuntime(const Args& args);

// --vault takes a URL or the label of a configured vault; returns the vault's URL.
StatusOr<std::string> ResolveVaultFlag(const Args& args, const Config& config);
// The client for --vault (required).
StatusOr<std::shared_ptr<keyvault::Client>> VaultFromFlag(const Args& args,
                                                          std::shared_ptr<Runtime>* runtime);

// --output json|table
bool WantJson(const Args& args);
void PrintJson(const nlohmann::json& j);
// Colour only when stdout is a terminal and NO_COLOR is unset.
bool ColourOut();
bool StderrIsTty();

StatusOr<std::vector<uint8_t>> ReadInput(const std::string& path);             // "-" = stdin
Status WriteOutput(const std::string& path, const uint8_t* data, size_t len);  // "-" = stdout
Status WriteText(const std::string& path, const std::string& text);

std::string UnixTime(const std::optional<int64_t>& t);  // RFC 3339 UTC, or "-"
std::string Join(const std::vector<std::string>& v, const char* sep = ",");
std::vector<std::string> SplitList(const std::string& s);

// Command groups.
int RunKeyCommand(const std::string& command, const std::vector<std::string>& rest);
int RunCertCommand(const std::string& command, const std::vector<std::string>& rest);
int RunByokCommand(const std::string& command, const std::vector<std::string>& rest);
int RunCipher(const std::string& operation, const std::vector<std::string>& rest);
int RunSign(const std::vector<std::string>& rest);
int RunVerify(const std::vector<std::string>& rest);
int RunDoctor(const std::vector<std::string>& rest);

}  // namespace azkv::cli
