#pragma once
// azkv's configuration: which vaults, which identity, how to talk to them.
//
// Read from $AZKV_CONFIG, else /etc/azkv/azkv.json. A missing file means defaults. The file
// decides which identity and which vaults are trusted, so one that group or others can write
// is refused. The schema is documented in docs/configuration.md.

#include <optional>
#include <string>
#include <vector>

#include "azkv/util/status.h"

namespace azkv {

enum class IdentityType { kAuto, kImds, kAppService, kArc, kWorkload, kCli };

const char* IdentityTypeName(IdentityType t);

struct IdentityConfig {
    IdentityType type = IdentityType::kAuto;
    // At most one selector of a user-assigned identity.
    std::string client_id;
    std::string object_id;
    std::string resource_id;
    // Overrides the token endpoint of the chosen source (IMDS base URL, App Service or Arc
    // endpoint, Entra authority host for workload identity).
    std::string endpoint;
    // Where Azure Arc keeps its challenge secret files. Only for tests and unusual installs:
    // the default is the agent's fixed directory, and the file must live there.
    std::string arc_token_dir;

    bool operator==(const IdentityConfig&) const = default;
};

struct KeyRef {
    std::string name;
    std::string version;  // empty = latest
};

struct VaultConfig {
    std::string url;           // https://NAME.vault.azure.net (normalised: no trailing slash)
    std::string label;         // token label; defaults to the vault's host name
    std::vector<KeyRef> keys;  // allowlist; empty = every key the identity may list
    std::optional<IdentityConfig> identity;  // per-vault override
    bool allow_create = false;
    bool allow_delete = false;
    bool allow_software_keys = false;  // fail secure: HSM keys only unless set
    bool all_versions = false;         // "versions": "all"
    // "keyvault" or "managedhsm". Needed only for hosts whose name does not tell (private
    // endpoints, the emulator); otherwise empty and taken from the host.
    std::string type;
};

struct HttpConfig {
    long timeout_ms = 10000;
    long connect_timeout_ms = 3000;
    int max_connections = 16;
    long retry_budget_ms = 30000;
    std::string ca_file;
    std::string proxy;
};

struct CacheConfig {
    long key_ttl_s = 300;
};

enum class LogLevel { kError = 0, kWarn, kInfo, kDebug, kTrace };

struct LogConfig {
    LogLevel level = LogLevel::kWarn;
    std::string target = "stderr";  // stderr | syslog | a file path
};

// Which signatures from the service are checked locally with the key's public key before they
// are handed out: every one, or (for ECDSA only) each key version's first ones and then a random
// sample. docs/security.md weighs the two.
enum class VerifySignatures { kAll, kSampled };

struct Config {
    std::vector<VaultConfig> vaults;
    IdentityConfig identity;
    HttpConfig http;
    CacheConfig cache;
    LogConfig log;
    VerifySignatures verify_signatures = VerifySignatures::kAll;
    std::string source;  // the file it came from, or "(defaults)"
};

// Parses a JSON document. `source` names it in error messages.
StatusOr<Config> ParseConfig(const std::string& json_text, const std::string& source);

// Loads from `path` if given, else $AZKV_CONFIG, else /etc/azkv/azkv.json; then applies the
// environment overrides AZKV_LOG_LEVEL and AZKV_CA_FILE. Checks the file's permissions.
StatusOr<Config> LoadConfig(const std::string& path = "");

// "error", "warn", "info", "debug", "trace".
std::optional<LogLevel> ParseLogLevel(const std::string& s);

}  // namespace azkv
