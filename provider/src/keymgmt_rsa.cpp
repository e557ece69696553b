// RSA key management (vault RSA-HSM keys, and imported RSA public keys).

#include <openssl/core_names.h>

#include "dispatch.h"
#include "keymgmt_common.h"

namespace azkv::provider {
namespace {

using keys::KeyKind;

OSSL_FUNC_keymgmt_new_fn rsa_new;
OSSL_FUNC_keymgmt_load_fn rsa_load;
OSSL_FUNC_keymgmt_import_fn rsa_import;
OSSL_FUNC_keymgmt_import_types_fn rsa_key_types;
OSSL_FUNC_keymgmt_gettable_params_fn rsa_gettable_params;
OSSL_FUNC_keymgmt_query_operation_name_fn rsa_query_operation_name;

void* rsa_new(void* provctx) {
    return KeymgmtNew(provctx, KeyKind::kRsa);
}

void* rsa_load(const void* reference, size_t reference_size) {
    return KeymgmtLoad(reference, reference_size, KeyKind::kRsa);
}

int rsa_import(void* keydata, int selection, const OSSL_PARAM params[]) {
    return KeymgmtImport(keydata, selection, params);
}

const OSSL_PARAM* rsa_key_types(int selection) {
    static const OSSL_PARAM kPublic[] = {
        OSSL_PARAM_BN(OSSL_PKEY_PARAM_RSA_N, nullptr, 0),
        OSSL_PARAM_BN(OSSL_PKEY_PARAM_RSA_E, nullptr, 0),
        OSSL_PARAM_END,
    };
    return (selection & OSSL_KEYMGMT_SELECT_PUBLIC_KEY) != 0 ? kPublic : nullptr;
}

const OSSL_PARAM* rsa_gettable_params(void*) {
    static const OSSL_PARAM kGettable[] = {
        OSSL_PARAM_int(OSSL_PKEY_PARAM_BITS, nullptr),
        OSSL_PARAM_int(OSSL_PKEY_PARAM_SECURITY_BITS, nullptr),
        OSSL_PARAM_int(OSSL_PKEY_PARAM_MAX_SIZE, nullptr),
        OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_DEFAULT_DIGEST, nullptr, 0),
        OSSL_PARAM_BN(OSSL_PKEY_PARAM_RSA_N, nullptr, 0),
        OSSL_PARAM_BN(OSSL_PKEY_PARAM_RSA_E, nullptr, 0),
        OSSL_PARAM_END,
    };
    return kGettable;
}

const char* rsa_query_operation_name(int) {
    return "RSA";
}

}  // namespace

const OSSL_DISPATCH kRsaKeymgmtFunctions[] = {
    AZKV_FN(OSSL_FUNC_KEYMGMT_NEW, rsa_new),
    AZKV_FN(OSSL_FUNC_KEYMGMT_LOAD, rsa_load),
    AZKV_FN(OSSL_FUNC_KEYMGMT_FREE, KeymgmtFree),
    AZKV_FN(OSSL_FUNC_KEYMGMT_DUP, KeymgmtDup),
    AZKV_FN(OSSL_FUNC_KEYMGMT_HAS, KeymgmtHas),
    AZKV_FN(OSSL_FUNC_KEYMGMT_MATCH, KeymgmtMatch),
    AZKV_FN(OSSL_FUNC_KEYMGMT_IMPORT, rsa_import),
    AZKV_FN(OSSL_FUNC_KEYMGMT_IMPORT_TYPES, rsa_key_types),
    AZKV_FN(OSSL_FUNC_KEYMGMT_EXPORT, KeymgmtExport),
    AZKV_FN(OSSL_FUNC_KEYMGMT_EXPORT_TYPES, rsa_key_types),
    AZKV_FN(OSSL_FUNC_KEYMGMT_GET_PARAMS, KeymgmtGetParams),
    AZKV_FN(OSSL_FUNC_KEYMGMT_GETTABLE_PARAMS, rsa_gettable_params),
    AZKV_FN(OSSL_FUNC_KEYMGMT_QUERY_OPERATION_NAME, rsa_query_operation_name),
    {0, nullptr},
};

}  // namespace azkv::provider
