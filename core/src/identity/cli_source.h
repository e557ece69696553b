#pragma once
// Helpers of the Azure CLI source that the auto chain needs too.

#include <optional>
#include <string>

#include "azkv/identity/token_source.h"

namespace azkv::identity {

// The first executable `az` on $PATH as `env` reports it, or nullopt.
std::optional<std::string> FindAzOnPath(const EnvLookup& env);

}  // namespace azkv::identity
