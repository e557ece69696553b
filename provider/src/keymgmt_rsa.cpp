// RSA key management (vault RSA-HSM keys, and imported RSA public keys).

#include <openssl/core_names.h>

#include "dispatch.h"
#include "keymgmt_common.h"

namespace azkv::provider {
namespace {

OSSL_FUNC_keymgmt_import_types_fn rsa_key_types;
OSSL_FUNC_keymgmt_gettable_params_fn rsa_gettable_params;
OSSL_FUNC_keymgmt_query_operation_name_fn rsa_query_operation_name;

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
        AZKV_KEYMGMT_COMMON_GETTABLE,
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
    AZKV_KEYMGMT_FUNCTIONS(keys::KeyKind::kRsa),
    AZKV_FN(OSSL_FUNC_KEYMGMT_IMPORT_TYPES, rsa_key_types),
    AZKV_FN(OSSL_FUNC_KEYMGMT_EXPORT_TYPES, rsa_key_types),
    AZKV_FN(OSSL_FUNC_KEYMGMT_GETTABLE_PARAMS, rsa_gettable_params),
    AZKV_FN(OSSL_FUNC_KEYMGMT_QUERY_OPERATION_NAME, rsa_query_operation_name),
    {0, nullptr},
};

}  // namespace azkv::provider
