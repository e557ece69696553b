#pragma once
// Key management shared by RSA and EC: our keys are vault keys (private operations by reference)
// or public keys imported for comparison. Only public parts are ever exported: refusing the
// private part is what makes OpenSSL route private-key operations to this provider.

#include <openssl/core_dispatch.h>

#include "azkv/keys/remote_key.h"

namespace azkv::provider {

void* KeymgmtNew(void* provctx, keys::KeyKind kind);
void* KeymgmtLoad(const void* reference, size_t reference_size, keys::KeyKind kind);
int KeymgmtImport(void* keydata, int selection, const OSSL_PARAM params[]);

OSSL_FUNC_keymgmt_free_fn KeymgmtFree;
OSSL_FUNC_keymgmt_has_fn KeymgmtHas;
OSSL_FUNC_keymgmt_match_fn KeymgmtMatch;
OSSL_FUNC_keymgmt_export_fn KeymgmtExport;
OSSL_FUNC_keymgmt_get_params_fn KeymgmtGetParams;
OSSL_FUNC_keymgmt_dup_fn KeymgmtDup;

}  // namespace azkv::provider
