#pragma once
// How a user names a key on the command line: its kid URL, the azkv: short form
// (azkv:VAULT/KEY[/VERSION], VAULT being a configured vault's label or NAME of
// NAME.vault.azure.net), or --vault URL|LABEL plus NAME[/VERSION].

#include <memory>
#include <string>

#include "azkv/runtime.h"
#include "azkv/util/status.h"

namespace azkv::cli {

class Args;

struct KeyRef {
    std::string vault_url;
    std::string name;
    std::string version;  // empty = latest
};

StatusOr<KeyRef> ParseKeyRef(const std::string& ref, const std::string& vault_flag,
                             const Config& config, const std::string& collection = "keys");

// The one positional KEY argument of a command, resolved against its vault.
struct NamedKey {
    std::shared_ptr<Runtime> runtime;
    std::shared_ptr<keyvault::Client> client;
    KeyRef ref;
};
StatusOr<NamedKey> OpenNamedObject(const Args& args, const std::string& command,
                                   const std::string& collection = "keys");

}  // namespace azkv::cli
