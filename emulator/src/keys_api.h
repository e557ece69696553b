// The keys data plane (protocol §1): create, import, get, list, versions, update, delete,
// deleted keys, the six crypto operations and rng.
#pragma once

#include "dispatch.h"

namespace azkv::emu {

void register_keys_api(VaultRouter& router);

// Adds the key version behind a certificate version: same name and version, "managed": true,
// the default key_ops of its family, kty with -HSM when `hsm` (always on Managed HSM).
KeyVersionPtr add_certificate_key(VaultContext& vault, const std::string& name,
                                  const std::string& version, KeyMaterial material, bool hsm);

}  // namespace azkv::emu
