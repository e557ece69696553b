// EC key management (vault EC-HSM keys, and imported EC public keys). Signatures with
// these keys are "ECDSA", which query_operation_name tells OpenSSL (EVP_PKEY_can_sign, libssl).

#include <openssl/core_names.h>

#include "dispatch.h"
#include "keymgmt_common.h"

namespace azkv::provider {
namespace {

OSSL_FUNC_keymgmt_import_types_fn ec_key_types;
OSSL_FUNC_keymgmt_gettable_params_fn ec_gettable_params;
OSSL_FUNC_keymgmt_query_operation_name_fn ec_query_operation_name;

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
        AZKV_KEYMGMT_COMMON_GETTABLE,
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
    AZKV_KEYMGMT_FUNCTIONS(keys::KeyKind::kEc),
    AZKV_FN(OSSL_FUNC_KEYMGMT_IMPORT_TYPES, ec_key_types),
    AZKV_FN(OSSL_FUNC_KEYMGMT_EXPORT_TYPES, ec_key_types),
    AZKV_FN(OSSL_FUNC_KEYMGMT_GETTABLE_PARAMS, ec_gettable_params),
    AZKV_FN(OSSL_FUNC_KEYMGMT_QUERY_OPERATION_NAME, ec_query_operation_name),
    {0, nullptr},
};

}  // namespace azkv::provider
