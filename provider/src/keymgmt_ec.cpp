// EC key management (vault EC-HSM keys, and imported EC public keys). Signatures with
// these keys are "ECDSA", which query_operation_name tells OpenSSL (EVP_PKEY_can_sign, libssl).

#include <openssl/core_names.h>

#include "dispatch.h"
#include "keymgmt_common.h"

namespace azkv::provider {
namespace {

using keys::KeyKind;

OSSL_FUNC_keymgmt_new_fn ec_new;
OSSL_FUNC_keymgmt_load_fn ec_load;
OSSL_FUNC_keymgmt_import_fn ec_import;
OSSL_FUNC_keymgmt_import_types_fn ec_key_types;
OSSL_FUNC_keymgmt_gettable_params_fn ec_gettable_params;
OSSL_FUNC_keymgmt_query_operation_name_fn ec_query_operation_name;

void* ec_new(void* provctx) {
    return KeymgmtNew(provctx, KeyKind::kEc);
}

void* ec_load(const void* reference, size_t reference_size) {
    return KeymgmtLoad(reference, reference_size, KeyKind::kEc);
}

int ec_import(void* keydata, int selection, const OSSL_PARAM params[]) {
    return KeymgmtImport(keydata, selection, params);
}

const OSSL_PARAM* ec_key_types(int selection) {
    static const OSSL_PARAM kPublic[] = {
        OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, nullptr, 0),
        OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_PUB_KEY, nullptr, 0),
        OSSL_PARAM_END,
    };
    return (selection & (OSSL_KEYMGMT_SELECT_PUBLIC_KEY | OSSL_KEYMGMT_SELECT_DOMAIN_PARAMETERS)) !=
                   0
               ? kPublic
               : nullptr;
}

const OSSL_PARAM* ec_gettable_params(void*) {
    static const OSSL_PARAM kGettable[] = {
        OSSL_PARAM_int(OSSL_PKEY_PARAM_BITS, nullptr),
        OSSL_PARAM_int(OSSL_PKEY_PARAM_SECURITY_BITS, nullptr),
        OSSL_PARAM_int(OSSL_PKEY_PARAM_MAX_SIZE, nullptr),
        OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_DEFAULT_DIGEST, nullptr, 0),
        OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, nullptr, 0),
        OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_PUB_KEY, nullptr, 0),
        OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, nullptr, 0),
        OSSL_PARAM_BN(OSSL_PKEY_PARAM_EC_PUB_X, nullptr, 0),
        OSSL_PARAM_BN(OSSL_PKEY_PARAM_EC_PUB_Y, nullptr, 0),
        OSSL_PARAM_END,
    };
    return kGettable;
}

const char* ec_query_operation_name(int operation_id) {
    return operation_id == OSSL_OP_SIGNATURE ? kNamesEcdsa : "EC";
}

}  // namespace

const OSSL_DISPATCH kEcKeymgmtFunctions[] = {
    AZKV_FN(OSSL_FUNC_KEYMGMT_NEW, ec_new),
    AZKV_FN(OSSL_FUNC_KEYMGMT_LOAD, ec_load),
    AZKV_FN(OSSL_FUNC_KEYMGMT_FREE, KeymgmtFree),
    AZKV_FN(OSSL_FUNC_KEYMGMT_DUP, KeymgmtDup),
    AZKV_FN(OSSL_FUNC_KEYMGMT_HAS, KeymgmtHas),
    AZKV_FN(OSSL_FUNC_KEYMGMT_MATCH, KeymgmtMatch),
    AZKV_FN(OSSL_FUNC_KEYMGMT_IMPORT, ec_import),
    AZKV_FN(OSSL_FUNC_KEYMGMT_IMPORT_TYPES, ec_key_types),
    AZKV_FN(OSSL_FUNC_KEYMGMT_EXPORT, KeymgmtExport),
    AZKV_FN(OSSL_FUNC_KEYMGMT_EXPORT_TYPES, ec_key_types),
    AZKV_FN(OSSL_FUNC_KEYMGMT_GET_PARAMS, KeymgmtGetParams),
    AZKV_FN(OSSL_FUNC_KEYMGMT_GETTABLE_PARAMS, ec_gettable_params),
    AZKV_FN(OSSL_FUNC_KEYMGMT_QUERY_OPERATION_NAME, ec_query_operation_name),
    {0, nullptr},
};

}  // namespace azkv::provider
