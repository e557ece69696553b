// The certificates data plane (protocol §1.9): create from a policy (self-signed, or a CSR for an
// external CA followed by merge), import PEM/PFX, get, list, versions, policy, and the secret
// that carries the chain. Every certificate version owns the key version of the same name and
// version (kid), so TLS servers sign through the keys API.
#pragma once

#include "dispatch.h"

namespace azkv::emu {

void register_certs_api(VaultRouter& router);

}  // namespace azkv::emu
