// The keys data plane (protocol §1): create, import, get, list, versions, update, delete,
// deleted keys, the six crypto operations and rng.
#pragma once

#include "dispatch.h"

namespace azkv::emu {

void register_keys_api(VaultRouter& router);

}  // namespace azkv::emu
