#pragma once
// How a user names a key on the command line: its kid URL, the azkv: short form
// (azkv:VAULT/KEY[/VERSION] for *.vault.azure.net), or --vault URL plus a name.

#include <string>

#include "azkv/util/status.h"

namespace azkv::cli {

struct KeyRef {
    std::string vault_url;
    std::string name;
    std::string version;  // empty = latest
};

StatusOr<KeyRef> ParseKeyRef(const std::string& ref, const std::string& vault_flag);

}  // namespace azkv::cli
