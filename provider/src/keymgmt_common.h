#pragma once
// Key management shared by RSA and EC: our keys are vault keys (private operations by reference)
// or public keys imported for comparison. Only public parts are ever exported: refusing the
// private part is what makes OpenSSL route private-key operations to this provider.

#include <openssl/core_dispatch.h>

#include "azkv/keys/remote_key.h"

namespace azkv::provider {

void* KeymgmtNew(void* provctx, keys::KeyKind kind);
void* KeymgmtLoad(const void* reference, size_t reference_size, keys::KeyKind kind);
template <keys::KeyKind Kind>
void* KeymgmtNewOf(void* provctx) {
    return KeymgmtNew(provctx, Kind);
}
template <keys::KeyKind Kind>
void* KeymgmtLoadOf(const void* reference, size_t reference_size) {
    return KeymgmtLoad(reference, reference_size, Kind);
}

OSSL_FUNC_keymgmt_import_fn KeymgmtImport;
OSSL_FUNC_keymgmt_free_fn KeymgmtFree;
OSSL_FUNC_keymgmt_has_fn KeymgmtHas;
OSSL_FUNC_keymgmt_match_fn KeymgmtMatch;
OSSL_FUNC_keymgmt_export_fn KeymgmtExport;
OSSL_FUNC_keymgmt_get_params_fn KeymgmtGetParams;
OSSL_FUNC_keymgmt_dup_fn KeymgmtDup;

}  // namespace azkv::provider

// What every key type's get_params answers (from its public half); the key type adds its parts.
#define AZKV_KEYMGMT_COMMON_GETTABLE                            \
    OSSL_PARAM_int(OSSL_PKEY_PARAM_BITS, nullptr),              \
        OSSL_PARAM_int(OSSL_PKEY_PARAM_SECURITY_BITS, nullptr), \
        OSSL_PARAM_int(OSSL_PKEY_PARAM_MAX_SIZE, nullptr),      \
        OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_DEFAULT_DIGEST, nullptr, 0)

// The dispatch entries of a keymgmt table for `kind`; the key type adds its import/export types,
// gettable parameters and operation names.
#define AZKV_KEYMGMT_FUNCTIONS(kind)                                                              \
    AZKV_FN(OSSL_FUNC_KEYMGMT_NEW, ::azkv::provider::KeymgmtNewOf<kind>),                         \
        AZKV_FN(OSSL_FUNC_KEYMGMT_LOAD, ::azkv::provider::KeymgmtLoadOf<kind>),                   \
        AZKV_FN(OSSL_FUNC_KEYMGMT_FREE, KeymgmtFree), AZKV_FN(OSSL_FUNC_KEYMGMT_DUP, KeymgmtDup), \
        AZKV_FN(OSSL_FUNC_KEYMGMT_HAS, KeymgmtHas),                                               \
        AZKV_FN(OSSL_FUNC_KEYMGMT_MATCH, KeymgmtMatch),                                           \
        AZKV_FN(OSSL_FUNC_KEYMGMT_IMPORT, KeymgmtImport),                                         \
        AZKV_FN(OSSL_FUNC_KEYMGMT_EXPORT, KeymgmtExport),                                         \
        AZKV_FN(OSSL_FUNC_KEYMGMT_GET_PARAMS, KeymgmtGetParams)
