// Command line (see .work/emulator-contract.md and azkv-emulator.1).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace azkv::emu {

enum class Flavor { Vault, Mhsm };

struct VaultSpec {
    std::string name;
    Flavor flavor = Flavor::Vault;
    int port = 8443;
};

struct Options {
    std::string state_dir = "./azkv-emulator-state";
    std::string bind = "127.0.0.1";
    std::vector<VaultSpec> vaults;
    int identity_port = 8080;
    int sts_port = 8444;
    std::vector<std::string> hosts;
    int64_t token_ttl = 3600;
    std::string rbac_file;
    bool throttle = false;
    int64_t clock_skew_s = 0;  // added to the emulator's clock (Date, tokens, key dates)
    std::string ops_log;
    std::string ready_file;
    nlohmann::json faults = nlohmann::json::object();  // same shape as /_emulator/faults
    std::string log_level = "warn";
};

// Returns false after printing --help/--version (exit 0); throws std::invalid_argument on bad
// input.
bool parse_options(int argc, char** argv, Options& out);

const char* flavor_name(Flavor f);

}  // namespace azkv::emu
