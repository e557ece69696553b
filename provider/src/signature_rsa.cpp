// RSA signatures: PKCS#1 v1.5 (RS256/384/512, and RSNULL with a local DigestInfo for SHA-1,
// SHA-224 and TLS 1.0/1.1's MD5+SHA-1) and PSS with salt length = digest length, the only PSS
// that Key Vault signs (PS256/384/512), which is also what TLS 1.3 asks for.

#include <openssl/core_names.h>
#include <openssl/rsa.h>

#include <cstring>

#include "dispatch.h"
#include "errors.h"
#include "provider_ctx.h"
#include "signature_common.h"

namespace azkv::provider {
namespace {

using keys::DigestAlg;
using keys::RsaPadding;

// OpenSSL 3.0's earliest headers lack it; the value is fixed by the API.
constexpr int kSaltLenAutoDigestMax = -4;

struct NamedInt {
    const char* name;
    int value;
};
constexpr NamedInt kPadModes[] = {
    {OSSL_PKEY_RSA_PAD_MODE_NONE, RSA_NO_PADDING},
    {OSSL_PKEY_RSA_PAD_MODE_PKCSV15, RSA_PKCS1_PADDING},
    {OSSL_PKEY_RSA_PAD_MODE_X931, RSA_X931_PADDING},
    {OSSL_PKEY_RSA_PAD_MODE_PSS, RSA_PKCS1_PSS_PADDING},
};
constexpr NamedInt kSaltLens[] = {
    {OSSL_PKEY_RSA_PSS_SALT_LEN_DIGEST, RSA_PSS_SALTLEN_DIGEST},
    {OSSL_PKEY_RSA_PSS_SALT_LEN_MAX, RSA_PSS_SALTLEN_MAX},
    {OSSL_PKEY_RSA_PSS_SALT_LEN_AUTO, RSA_PSS_SALTLEN_AUTO},
    {"auto-digestmax", kSaltLenAutoDigestMax},
};

bool GetNamedInt(const OSSL_PARAM* p, std::span<const NamedInt> names, bool numeric_strings,
                 int* out) {
    if (p->data_type != OSSL_PARAM_UTF8_STRING)
        return OSSL_PARAM_get_int(p, out) == 1;
    const char* s = static_cast<const char*>(p->data);
    for (const auto& n : names) {
        if (std::strcmp(s, n.name) == 0) {
            *out = n.value;
            return true;
        }
    }
    if (!numeric_strings || *s == '\0')
        return false;
    char* end = nullptr;
    long v = std::strtol(s, &end, 10);
    if (*end != '\0' || v < 0 || v > 1024)
        return false;
    *out = static_cast<int>(v);
    return true;
}

std::string SaltRule(const SignatureCtx* ctx) {
    std::string md = ctx->md != nullptr ? EVP_MD_get0_name(ctx->md.get()) : "the digest";
    std::string len =
        ctx->md != nullptr ? std::to_string(EVP_MD_get_size(ctx->md.get())) + " bytes" : "";
    return "Key Vault signs RSA-PSS only with salt length = digest length" +
           (len.empty() ? std::string() : " (" + len + " for " + md + ")") +
           " and MGF1 with the same digest; use -sigopt rsa_pss_saltlen:digest (or "
           "-pkeyopt rsa_pss_saltlen:digest)";
}

// Checks the PSS parameters against Key Vault's rule once they are known.
Status CheckPss(const SignatureCtx* ctx) {
    if (ctx->pad_mode != RSA_PKCS1_PSS_PADDING || ctx->operation != EVP_PKEY_OP_SIGN)
        return Status::Ok();
    int s = ctx->saltlen;
    bool ok = s == RSA_PSS_SALTLEN_DIGEST || s == kSaltLenAutoDigestMax ||
              (s >= 0 && (ctx->md == nullptr || s == EVP_MD_get_size(ctx->md.get())));
    if (!ok) {
        std::string shown = s == RSA_PSS_SALTLEN_MAX    ? "max"
                            : s == RSA_PSS_SALTLEN_AUTO ? "auto (maximum when signing)"
                                                        : std::to_string(s);
        return Status(ErrorCode::kUnsupported,
                      "RSA-PSS salt length " + shown + " is not possible: " + SaltRule(ctx));
    }
    if (ctx->mgf1_md != nullptr && ctx->md != nullptr &&
        !EVP_MD_is_a(ctx->mgf1_md.get(), EVP_MD_get0_name(ctx->md.get()))) {
        return Status(ErrorCode::kUnsupported, std::string("RSA-PSS with MGF1 digest ") +
                                                   EVP_MD_get0_name(ctx->mgf1_md.get()) +
                                                   " is not possible: " + SaltRule(ctx));
    }
    return Status::Ok();
}

StatusOr<std::vector<uint8_t>> RsaSign(SignatureCtx* ctx, std::span<const uint8_t> tbs) {
    const keys::RemoteKey& key = *ctx->remote;
    if (ctx->pad_mode == RSA_PKCS1_PADDING && ctx->md == nullptr) {
        AZKV_ASSIGN_OR_RETURN(auto plan, key.PlanRsaSignRaw(tbs));
        return key.Sign(plan);
    }
    if (ctx->pad_mode != RSA_PKCS1_PADDING && ctx->pad_mode != RSA_PKCS1_PSS_PADDING) {
        return Status(ErrorCode::kUnsupported,
                      "Key Vault signs RSA only with PKCS#1 v1.5 or PSS padding, not padding "
                      "mode " +
                          std::to_string(ctx->pad_mode));
    }
    auto digest =
        ctx->md != nullptr ? DigestAlgOf(ctx->md.get()) : keys::DigestFromSize(tbs.size());
    if (!digest) {
        return Status(ErrorCode::kUnsupported,
                      std::string("RSA signatures with digest ") +
                          (ctx->md != nullptr ? EVP_MD_get0_name(ctx->md.get()) : "(none)") +
                          " are not possible: Key Vault signs SHA-256/384/512 (and on vaults "
                          "SHA-1, SHA-224, MD5-SHA1 through RSNULL)");
    }
    AZKV_RETURN_IF_ERROR(CheckPss(ctx));
    bool pss = ctx->pad_mode == RSA_PKCS1_PSS_PADDING;
    AZKV_ASSIGN_OR_RETURN(
        auto plan, key.PlanRsaSign(*digest, tbs, pss ? RsaPadding::kPss : RsaPadding::kPkcs1));
    return key.Sign(plan);
}

Status RsaConfigureMirror(const SignatureCtx* ctx, EVP_PKEY_CTX* mirror) {
    bool ok = EVP_PKEY_CTX_set_rsa_padding(mirror, ctx->pad_mode) > 0;
    if (ok && ctx->pad_mode == RSA_PKCS1_PSS_PADDING) {
        // Signing allows only digest-length salts; "auto-digestmax" is unknown to 3.0's
        // default provider and means the same here.
        int salt = ctx->operation == EVP_PKEY_OP_SIGN || ctx->saltlen == kSaltLenAutoDigestMax
                       ? RSA_PSS_SALTLEN_DIGEST
                       : ctx->saltlen;
        ok = EVP_PKEY_CTX_set_rsa_pss_saltlen(mirror, salt) > 0 &&
             (ctx->mgf1_md == nullptr ||
              EVP_PKEY_CTX_set_rsa_mgf1_md(mirror, ctx->mgf1_md.get()) > 0);
    }
    if (!ok) {
        return Status(ErrorCode::kInvalidArgument,
                      "the RSA parameters are not usable: " + OpensslErrorString());
    }
    return Status::Ok();
}

int RsaSetParams(SignatureCtx* ctx, const OSSL_PARAM params[]) {
    const OSSL_PARAM* p = OSSL_PARAM_locate_const(params, OSSL_SIGNATURE_PARAM_PAD_MODE);
    if (p != nullptr) {
        int mode = 0;
        if (!GetNamedInt(p, kPadModes, false, &mode))
            return 0;
        if (mode != RSA_PKCS1_PADDING && mode != RSA_PKCS1_PSS_PADDING) {
            SignatureRaise(ctx, Status(ErrorCode::kUnsupported,
                                       "Key Vault signs RSA only with PKCS#1 v1.5 or PSS "
                                       "padding (pkcs1, pss)"));
            return 0;
        }
        ctx->pad_mode = mode;
    }
    p = OSSL_PARAM_locate_const(params, OSSL_SIGNATURE_PARAM_PSS_SALTLEN);
    if (p != nullptr && !GetNamedInt(p, kSaltLens, true, &ctx->saltlen))
        return 0;
    auto mgf1 = DigestFromParams(ctx->prov->libctx(), params, OSSL_SIGNATURE_PARAM_MGF1_DIGEST,
                                 OSSL_SIGNATURE_PARAM_MGF1_PROPERTIES, ctx->propq);
    if (!mgf1.ok()) {
        SignatureRaise(ctx, mgf1.status());
        return 0;
    }
    if (*mgf1 != nullptr)
        ctx->mgf1_md = std::move(*mgf1);
    Status st = CheckPss(ctx);
    if (!st.ok()) {
        SignatureRaise(ctx, st);
        return 0;
    }
    return 1;
}

OSSL_FUNC_signature_settable_ctx_params_fn rsa_settable_ctx_params;
OSSL_FUNC_signature_gettable_ctx_params_fn rsa_gettable_ctx_params;

const OSSL_PARAM* rsa_settable_ctx_params(void*, void*) {
    static const OSSL_PARAM kSettable[] = {
        AZKV_SIGNATURE_COMMON_SETTABLE,
        OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_PAD_MODE, nullptr, 0),
        OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_PSS_SALTLEN, nullptr, 0),
        OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_MGF1_DIGEST, nullptr, 0),
        OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_MGF1_PROPERTIES, nullptr, 0),
        OSSL_PARAM_END,
    };
    return kSettable;
}

int RsaGetParams(SignatureCtx* ctx, OSSL_PARAM params[]) {
    OSSL_PARAM* p = OSSL_PARAM_locate(params, OSSL_SIGNATURE_PARAM_PAD_MODE);
    if (p != nullptr && !OSSL_PARAM_set_int(p, ctx->pad_mode))
        return 0;
    p = OSSL_PARAM_locate(params, OSSL_SIGNATURE_PARAM_PSS_SALTLEN);
    if (p != nullptr && !OSSL_PARAM_set_int(p, ctx->saltlen))
        return 0;
    p = OSSL_PARAM_locate(params, OSSL_SIGNATURE_PARAM_MGF1_DIGEST);
    const EVP_MD* mgf1 = ctx->mgf1_md != nullptr ? ctx->mgf1_md.get() : ctx->md.get();
    if (p != nullptr &&
        !OSSL_PARAM_set_utf8_string(p, mgf1 != nullptr ? EVP_MD_get0_name(mgf1) : ""))
        return 0;
    return 1;
}

const OSSL_PARAM* rsa_gettable_ctx_params(void*, void*) {
    static const OSSL_PARAM kGettable[] = {
        AZKV_SIGNATURE_COMMON_GETTABLE,
        OSSL_PARAM_int(OSSL_SIGNATURE_PARAM_PAD_MODE, nullptr),
        OSSL_PARAM_int(OSSL_SIGNATURE_PARAM_PSS_SALTLEN, nullptr),
        OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_MGF1_DIGEST, nullptr, 0),
        OSSL_PARAM_END,
    };
    return kGettable;
}

const SignatureAlg kRsaAlg = {keys::KeyKind::kRsa, "RSA",        RsaSign,
                              RsaConfigureMirror,  RsaSetParams, RsaGetParams};

}  // namespace

const OSSL_DISPATCH kRsaSignatureFunctions[] = {
    AZKV_SIGNATURE_FUNCTIONS(kRsaAlg),
    AZKV_FN(OSSL_FUNC_SIGNATURE_GETTABLE_CTX_PARAMS, rsa_gettable_ctx_params),
    AZKV_FN(OSSL_FUNC_SIGNATURE_SETTABLE_CTX_PARAMS, rsa_settable_ctx_params),
    {0, nullptr},
};

}  // namespace azkv::provider
