// OSSL_provider_init and the provider-level functions: parameters, the algorithm tables (all
// registered statically, because libssl caches what exists when SSL_CTX_new runs), reason
// strings and teardown. azkv implements only key-bound operations: no digests, ciphers or RNG.

#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>

#include <cstdlib>

#include "dispatch.h"
#include "errors.h"
#include "keyref_der.h"
#include "provider_ctx.h"

namespace azkv::provider {
namespace {

constexpr const char kProviderName[] = "azkv";
constexpr const char kProps[] = "provider=azkv";
constexpr const char kDecoderPemProps[] = "provider=azkv,input=pem";
constexpr const char kDecoderKeyrefProps[] = "provider=azkv,input=der,structure=azkv-keyref";
constexpr const char kEncoderProps[] = "provider=azkv,output=pem,structure=PrivateKeyInfo";

const OSSL_ALGORITHM kKeymgmt[] = {
    {kNamesRsa, kProps, kRsaKeymgmtFunctions, "RSA keys in Azure Key Vault / Managed HSM"},
    {kNamesEc, kProps, kEcKeymgmtFunctions, "EC keys in Azure Key Vault / Managed HSM"},
    {nullptr, nullptr, nullptr, nullptr},
};
const OSSL_ALGORITHM kSignature[] = {
    {kNamesRsa, kProps, kRsaSignatureFunctions, "RSA PKCS#1 v1.5 and PSS by the vault"},
    {kNamesEcdsa, kProps, kEcdsaSignatureFunctions, "ECDSA by the vault"},
    {nullptr, nullptr, nullptr, nullptr},
};
const OSSL_ALGORITHM kAsymCipher[] = {
    {kNamesRsa, kProps, kRsaAsymCipherFunctions, "RSA decryption by the vault"},
    {nullptr, nullptr, nullptr, nullptr},
};
const OSSL_ALGORITHM kStore[] = {
    {"azkv", kProps, kStoreFunctions, "azkv: URIs of vault keys and certificates"},
    {nullptr, nullptr, nullptr, nullptr},
};
const OSSL_ALGORITHM kDecoder[] = {
    {"DER", kDecoderPemProps, kPemToKeyrefDecoderFunctions, "AZKV KEY REFERENCE PEM"},
    {kNamesRsa, kDecoderKeyrefProps, kKeyrefToRsaDecoderFunctions, "AZKV KEY REFERENCE (RSA)"},
    {kNamesEc, kDecoderKeyrefProps, kKeyrefToEcDecoderFunctions, "AZKV KEY REFERENCE (EC)"},
    {nullptr, nullptr, nullptr, nullptr},
};
const OSSL_ALGORITHM kEncoder[] = {
    {kNamesRsa, kEncoderProps, kKeyrefEncoderFunctions, "AZKV KEY REFERENCE PEM (RSA)"},
    {kNamesEc, kEncoderProps, kKeyrefEncoderFunctions, "AZKV KEY REFERENCE PEM (EC)"},
    {nullptr, nullptr, nullptr, nullptr},
};

OSSL_FUNC_provider_teardown_fn azkv_teardown;
OSSL_FUNC_provider_gettable_params_fn azkv_gettable_params;
OSSL_FUNC_provider_get_params_fn azkv_get_params;
OSSL_FUNC_provider_query_operation_fn azkv_query_operation;
OSSL_FUNC_provider_get_reason_strings_fn azkv_get_reason_strings;

void azkv_teardown(void* provctx) {
    delete static_cast<ProviderCtx*>(provctx);
}

const OSSL_PARAM* azkv_gettable_params(void*) {
    static const OSSL_PARAM kGettable[] = {
        OSSL_PARAM_utf8_ptr(OSSL_PROV_PARAM_NAME, nullptr, 0),
        OSSL_PARAM_utf8_ptr(OSSL_PROV_PARAM_VERSION, nullptr, 0),
        OSSL_PARAM_utf8_ptr(OSSL_PROV_PARAM_BUILDINFO, nullptr, 0),
        OSSL_PARAM_int(OSSL_PROV_PARAM_STATUS, nullptr),
        OSSL_PARAM_END,
    };
    return kGettable;
}

int azkv_get_params(void*, OSSL_PARAM params[]) {
    OSSL_PARAM* p = OSSL_PARAM_locate(params, OSSL_PROV_PARAM_NAME);
    if (p != nullptr && !OSSL_PARAM_set_utf8_ptr(p, "azkv: Azure Key Vault and Managed HSM keys"))
        return 0;
    p = OSSL_PARAM_locate(params, OSSL_PROV_PARAM_VERSION);
    if (p != nullptr && !OSSL_PARAM_set_utf8_ptr(p, AZKV_VERSION))
        return 0;
    p = OSSL_PARAM_locate(params, OSSL_PROV_PARAM_BUILDINFO);
    if (p != nullptr && !OSSL_PARAM_set_utf8_ptr(p, "azkv " AZKV_VERSION))
        return 0;
    p = OSSL_PARAM_locate(params, OSSL_PROV_PARAM_STATUS);
    if (p != nullptr && !OSSL_PARAM_set_int(p, 1))
        return 0;
    return 1;
}

const OSSL_ALGORITHM* azkv_query_operation(void*, int operation_id, int* no_cache) {
    *no_cache = 0;
    switch (operation_id) {
        case OSSL_OP_KEYMGMT:
            return kKeymgmt;
        case OSSL_OP_SIGNATURE:
            return kSignature;
        case OSSL_OP_ASYM_CIPHER:
            return kAsymCipher;
        case OSSL_OP_STORE:
            return kStore;
        case OSSL_OP_DECODER:
            return kDecoder;
        case OSSL_OP_ENCODER:
            return kEncoder;
        default:
            return nullptr;
    }
}

const OSSL_ITEM* azkv_get_reason_strings(void*) {
    return ReasonStrings();
}

const OSSL_DISPATCH kProviderFunctions[] = {
    AZKV_FN(OSSL_FUNC_PROVIDER_TEARDOWN, azkv_teardown),
    AZKV_FN(OSSL_FUNC_PROVIDER_GETTABLE_PARAMS, azkv_gettable_params),
    AZKV_FN(OSSL_FUNC_PROVIDER_GET_PARAMS, azkv_get_params),
    AZKV_FN(OSSL_FUNC_PROVIDER_QUERY_OPERATION, azkv_query_operation),
    AZKV_FN(OSSL_FUNC_PROVIDER_GET_REASON_STRINGS, azkv_get_reason_strings),
    {0, nullptr},
};

CoreUpcalls ReadUpcalls(const OSSL_DISPATCH* in) {
    CoreUpcalls core;
    for (; in != nullptr && in->function_id != 0; ++in) {
        switch (in->function_id) {
            case OSSL_FUNC_CORE_GET_PARAMS:
                core.get_params = OSSL_FUNC_core_get_params(in);
                break;
            case OSSL_FUNC_CORE_NEW_ERROR:
                core.new_error = OSSL_FUNC_core_new_error(in);
                break;
            case OSSL_FUNC_CORE_SET_ERROR_DEBUG:
                core.set_error_debug = OSSL_FUNC_core_set_error_debug(in);
                break;
            case OSSL_FUNC_CORE_VSET_ERROR:
                core.vset_error = OSSL_FUNC_core_vset_error(in);
                break;
            default:
                break;
        }
    }
    return core;
}

// azkv-config and azkv-log-level from the provider's section in openssl.cnf.
ProviderSettings ReadSettings(const OSSL_CORE_HANDLE* handle, const CoreUpcalls& core) {
    ProviderSettings settings;
    if (core.get_params == nullptr)
        return settings;
    char* config_path = nullptr;
    char* log_level = nullptr;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_ptr("azkv-config", &config_path, 0),
        OSSL_PARAM_construct_utf8_ptr("azkv-log-level", &log_level, 0),
        OSSL_PARAM_construct_end(),
    };
    if (core.get_params(handle, params) == 1) {
        if (config_path != nullptr)
            settings.config_path = config_path;
        if (log_level != nullptr)
            settings.log_level = log_level;
    }
    return settings;
}

}  // namespace
}  // namespace azkv::provider

extern "C" __attribute__((visibility("default"))) int OSSL_provider_init(
    const OSSL_CORE_HANDLE* handle, const OSSL_DISPATCH* in, const OSSL_DISPATCH** out,
    void** provctx) {
    using namespace azkv::provider;
    CoreUpcalls core = ReadUpcalls(in);
    ProviderSettings settings = ReadSettings(handle, core);
    // A child of the caller's library context: digests come from the providers loaded there.
    OSSL_LIB_CTX* libctx = OSSL_LIB_CTX_new_child(handle, in);
    if (libctx == nullptr)
        return 0;
    *provctx = new ProviderCtx(handle, core, libctx, std::move(settings));
    *out = kProviderFunctions;
    return 1;
}
