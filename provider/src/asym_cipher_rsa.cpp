// RSA decryption by the vault (RSA1_5, RSA-OAEP, RSA-OAEP-256) and encryption with the public key.
//
// RSA_PKCS1_WITH_TLS_PADDING is TLS 1.2 RSA key transport. Like OpenSSL's own implementation it
// never reports a failure: a wrong padding, length or version yields a random premaster secret,
// chosen without branching on the secret, so the handshake fails later at Finished for every
// kind of bad ciphertext alike (Bleichenbacher, Klima-Pokorny-Rosa).

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include <cstring>

#include "azkv/log/log.h"
#include "digest_util.h"
#include "dispatch.h"
#include "errors.h"
#include "key_object.h"
#include "provider_ctx.h"

namespace azkv::provider {
namespace {

using keys::RsaEncryption;

constexpr size_t kTlsPremasterLen = 48;

struct CipherCtx {
    ProviderCtx* prov = nullptr;
    std::string propq;
    std::shared_ptr<const keys::RemoteKey> remote;
    EvpPkeyPtr pub;
    std::string key_name;
    int pad_mode = RSA_PKCS1_PADDING;
    EvpMdPtr oaep_md;  // null: SHA-1
    EvpMdPtr mgf1_md;  // null: the OAEP digest
    bool label_set = false;
    unsigned int tls_client_version = 0;
    unsigned int tls_alt_version = 0;
};

void Raise(const CipherCtx* ctx, Status st) {
    if (st.message().rfind("vault ", 0) != 0 && !ctx->key_name.empty())
        st.Prepend("key " + ctx->key_name + " decrypt: ");
    AZKV_RAISE_STATUS(ctx->prov, st);
}

StatusOr<RsaEncryption> Encryption(const CipherCtx* ctx) {
    if (ctx->pad_mode == RSA_PKCS1_PADDING || ctx->pad_mode == RSA_PKCS1_WITH_TLS_PADDING)
        return RsaEncryption::kPkcs1;
    if (ctx->pad_mode != RSA_PKCS1_OAEP_PADDING) {
        return Status(ErrorCode::kUnsupported,
                      "Key Vault decrypts RSA only with PKCS#1 v1.5 or OAEP padding");
    }
    if (ctx->label_set) {
        return Status(ErrorCode::kUnsupported, "Key Vault's RSA-OAEP takes no label");
    }
    const EVP_MD* md = ctx->oaep_md.get();
    const EVP_MD* mgf1 = ctx->mgf1_md != nullptr ? ctx->mgf1_md.get() : md;
    bool sha1 = md == nullptr || EVP_MD_is_a(md, "SHA1");
    bool mgf1_sha1 = mgf1 == nullptr || EVP_MD_is_a(mgf1, "SHA1");
    if (sha1 && mgf1_sha1)
        return RsaEncryption::kOaepSha1;
    if (!sha1 && EVP_MD_is_a(md, "SHA256") && mgf1 != nullptr && EVP_MD_is_a(mgf1, "SHA256"))
        return RsaEncryption::kOaepSha256;
    return Status(ErrorCode::kUnsupported,
                  "Key Vault decrypts OAEP only with SHA-1 (RSA-OAEP) or SHA-256 (RSA-OAEP-256), "
                  "with MGF1 using the same digest");
}

// 0xff if a == b, else 0, without a data-dependent branch.
unsigned char EqMask(unsigned int a, unsigned int b) {
    unsigned int x = a ^ b;
    return static_cast<unsigned char>(((x | (0 - x)) >> (sizeof(x) * 8 - 1)) - 1);
}

// What the vault gets: the ciphertext as a modulus-length big-endian integer. Like OpenSSL's RSA,
// a shorter ciphertext (some TLS clients drop leading zero bytes) is accepted and one that is
// longer than the modulus or not below it is refused. Both are public properties of the input,
// so refusing them reveals nothing about the plaintext; OpenSSL's own TLS code sees the same
// failure (a decrypt_error alert) for them.
StatusOr<std::vector<uint8_t>> CiphertextForVault(const CipherCtx* ctx,
                                                  std::span<const uint8_t> in) {
    size_t modulus = static_cast<size_t>(EVP_PKEY_get_size(ctx->pub.get()));
    if (in.size() > modulus) {
        return Status(ErrorCode::kInvalidArgument, "the RSA ciphertext is " +
                                                       std::to_string(in.size()) +
                                                       " bytes, longer than the key's " +
                                                       std::to_string(modulus) + "-byte modulus");
    }
    std::vector<uint8_t> padded(modulus - in.size(), 0);
    padded.insert(padded.end(), in.begin(), in.end());
    BIGNUM* n_raw = nullptr;
    if (EVP_PKEY_get_bn_param(ctx->pub.get(), OSSL_PKEY_PARAM_RSA_N, &n_raw) != 1) {
        return Status(ErrorCode::kInternal, "cannot read the RSA modulus: " + OpensslErrorString());
    }
    BignumPtr n(n_raw);
    BignumPtr c(BN_bin2bn(padded.data(), static_cast<int>(padded.size()), nullptr));
    if (!c)
        return Status(ErrorCode::kInternal, "out of memory");
    if (BN_ucmp(c.get(), n.get()) >= 0) {
        return Status(ErrorCode::kInvalidArgument,
                      "the RSA ciphertext is not smaller than the key's modulus");
    }
    return padded;
}

int DecryptTls(CipherCtx* ctx, unsigned char* out, size_t* outlen, size_t outsize,
               std::span<const uint8_t> in) {
    if (outsize < kTlsPremasterLen || ctx->tls_client_version == 0) {
        Raise(ctx, Status(ErrorCode::kInvalidArgument,
                          "TLS RSA key transport needs a 48-byte buffer and the client version"));
        return 0;
    }
    auto ciphertext = CiphertextForVault(ctx, in);
    if (!ciphertext.ok()) {
        Raise(ctx, ciphertext.status());
        return 0;
    }
    unsigned char random[kTlsPremasterLen];
    if (RAND_priv_bytes_ex(ctx->prov->libctx(), random, sizeof(random), 0) != 1)
        return 0;
    SecureBytes plain;
    auto plan = ctx->remote->PlanDecrypt(RsaEncryption::kPkcs1, *ciphertext, false);
    if (plan.ok()) {
        auto result = ctx->remote->Decrypt(*plan);
        if (result.ok()) {
            plain = std::move(*result);
        } else if (result.status().code() != ErrorCode::kInvalidArgument &&
                   result.status().code() != ErrorCode::kBadResponse) {
            // Outages are logged (they are not about this ciphertext); padding failures are not.
            log::Warn("azkv provider: TLS RSA key transport: " + result.status().ToString());
        }
    }
    // Whatever went wrong, a 48-byte answer of the right version is all that counts.
    unsigned char good = EqMask(static_cast<unsigned int>(plain.size()), kTlsPremasterLen);
    plain.resize(kTlsPremasterLen, 0);  // keeps the reads below in bounds
    unsigned char version_good = EqMask(plain[0], (ctx->tls_client_version >> 8) & 0xff) &
                                 EqMask(plain[1], ctx->tls_client_version & 0xff);
    if (ctx->tls_alt_version != 0) {
        version_good |= EqMask(plain[0], (ctx->tls_alt_version >> 8) & 0xff) &
                        EqMask(plain[1], ctx->tls_alt_version & 0xff);
    }
    good &= version_good;
    for (size_t i = 0; i < kTlsPremasterLen; ++i)
        out[i] = static_cast<unsigned char>((plain[i] & good) | (random[i] & ~good));
    OPENSSL_cleanse(random, sizeof(random));
    *outlen = kTlsPremasterLen;
    return 1;
}

OSSL_FUNC_asym_cipher_newctx_fn rsa_cipher_newctx;
OSSL_FUNC_asym_cipher_freectx_fn rsa_cipher_freectx;
OSSL_FUNC_asym_cipher_dupctx_fn rsa_cipher_dupctx;
OSSL_FUNC_asym_cipher_decrypt_init_fn rsa_decrypt_init;
OSSL_FUNC_asym_cipher_decrypt_fn rsa_decrypt;
OSSL_FUNC_asym_cipher_encrypt_init_fn rsa_encrypt_init;
OSSL_FUNC_asym_cipher_encrypt_fn rsa_encrypt;
OSSL_FUNC_asym_cipher_get_ctx_params_fn rsa_cipher_get_ctx_params;
OSSL_FUNC_asym_cipher_gettable_ctx_params_fn rsa_cipher_gettable_ctx_params;
OSSL_FUNC_asym_cipher_set_ctx_params_fn rsa_cipher_set_ctx_params;
OSSL_FUNC_asym_cipher_settable_ctx_params_fn rsa_cipher_settable_ctx_params;

void* rsa_cipher_newctx(void* provctx) {
    auto* ctx = new CipherCtx;
    ctx->prov = static_cast<ProviderCtx*>(provctx);
    return ctx;
}

void rsa_cipher_freectx(void* vctx) {
    delete static_cast<CipherCtx*>(vctx);
}

void* rsa_cipher_dupctx(void* vctx) {
    const auto* src = static_cast<const CipherCtx*>(vctx);
    auto* dst = new CipherCtx;
    dst->prov = src->prov;
    dst->propq = src->propq;
    dst->remote = src->remote;
    dst->pub = SharePkey(src->pub.get());
    dst->key_name = src->key_name;
    dst->pad_mode = src->pad_mode;
    dst->oaep_md = ShareDigest(src->oaep_md.get());
    dst->mgf1_md = ShareDigest(src->mgf1_md.get());
    dst->label_set = src->label_set;
    dst->tls_client_version = src->tls_client_version;
    dst->tls_alt_version = src->tls_alt_version;
    return dst;
}

int Init(void* vctx, void* vkey, const OSSL_PARAM params[], bool need_private) {
    auto* ctx = static_cast<CipherCtx*>(vctx);
    const auto* key = static_cast<const ProviderKey*>(vkey);
    if (key == nullptr || key->kind != keys::KeyKind::kRsa || key->pub == nullptr) {
        Raise(ctx, Status(ErrorCode::kInvalidArgument, "not an RSA key"));
        return 0;
    }
    if (need_private && !key->has_private()) {
        Raise(ctx, Status(ErrorCode::kInvalidArgument,
                          "this is a public key only; load the vault key to decrypt"));
        return 0;
    }
    ctx->remote = key->remote;
    ctx->pub = SharePkey(key->pub.get());
    ctx->key_name = key->uri;
    ctx->pad_mode = RSA_PKCS1_PADDING;
    return rsa_cipher_set_ctx_params(ctx, params);
}

int rsa_decrypt_init(void* vctx, void* vkey, const OSSL_PARAM params[]) {
    return Init(vctx, vkey, params, true);
}

int rsa_encrypt_init(void* vctx, void* vkey, const OSSL_PARAM params[]) {
    return Init(vctx, vkey, params, false);
}

int rsa_decrypt(void* vctx, unsigned char* out, size_t* outlen, size_t outsize,
                const unsigned char* in, size_t inlen) {
    auto* ctx = static_cast<CipherCtx*>(vctx);
    size_t modulus = static_cast<size_t>(EVP_PKEY_get_size(ctx->pub.get()));
    if (out == nullptr) {
        *outlen = ctx->pad_mode == RSA_PKCS1_WITH_TLS_PADDING ? kTlsPremasterLen : modulus;
        return 1;
    }
    if (ctx->pad_mode == RSA_PKCS1_WITH_TLS_PADDING)
        return DecryptTls(ctx, out, outlen, outsize, {in, inlen});
    auto alg = Encryption(ctx);
    if (!alg.ok()) {
        Raise(ctx, alg.status());
        return 0;
    }
    auto ciphertext = CiphertextForVault(ctx, {in, inlen});
    if (!ciphertext.ok()) {
        Raise(ctx, ciphertext.status());
        return 0;
    }
    auto plan = ctx->remote->PlanDecrypt(*alg, *ciphertext, false);
    if (!plan.ok()) {
        Raise(ctx, plan.status());
        return 0;
    }
    auto plain = ctx->remote->Decrypt(*plan);
    if (!plain.ok()) {
        Raise(ctx, plain.status());
        return 0;
    }
    if (plain->size() > outsize) {
        Raise(ctx, Status(ErrorCode::kInvalidArgument, "the output buffer is too small"));
        return 0;
    }
    std::memcpy(out, plain->data(), plain->size());
    *outlen = plain->size();
    return 1;
}

int rsa_encrypt(void* vctx, unsigned char* out, size_t* outlen, size_t outsize,
                const unsigned char* in, size_t inlen) {
    auto* ctx = static_cast<CipherCtx*>(vctx);
    size_t modulus = static_cast<size_t>(EVP_PKEY_get_size(ctx->pub.get()));
    if (out == nullptr) {
        *outlen = modulus;
        return 1;
    }
    auto alg = Encryption(ctx);
    if (!alg.ok()) {
        Raise(ctx, alg.status());
        return 0;
    }
    // Public-key work stays local; the same padding the vault will undo.
    EvpPkeyCtxPtr pctx(EVP_PKEY_CTX_new_from_pkey(nullptr, ctx->pub.get(), "provider!=azkv"));
    const char* md = *alg == RsaEncryption::kOaepSha256 ? "SHA256" : "SHA1";
    bool ok = pctx && EVP_PKEY_encrypt_init(pctx.get()) > 0;
    if (ok && *alg == RsaEncryption::kPkcs1) {
        ok = EVP_PKEY_CTX_set_rsa_padding(pctx.get(), RSA_PKCS1_PADDING) > 0;
    } else if (ok) {
        ok = EVP_PKEY_CTX_set_rsa_padding(pctx.get(), RSA_PKCS1_OAEP_PADDING) > 0 &&
             EVP_PKEY_CTX_set_rsa_oaep_md_name(pctx.get(), md, nullptr) > 0 &&
             EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx.get(), md, nullptr) > 0;
    }
    size_t len = outsize;
    if (!ok || EVP_PKEY_encrypt(pctx.get(), out, &len, in, inlen) <= 0) {
        Raise(ctx, Status(ErrorCode::kInvalidArgument,
                          std::string("RSA encryption failed: ") + OpensslErrorString()));
        return 0;
    }
    *outlen = len;
    return 1;
}

int GetPadMode(const OSSL_PARAM* p, int* mode) {
    if (p->data_type != OSSL_PARAM_UTF8_STRING)
        return OSSL_PARAM_get_int(p, mode);
    static const struct {
        const char* name;
        int mode;
    } kModes[] = {{OSSL_PKEY_RSA_PAD_MODE_NONE, RSA_NO_PADDING},
                  {OSSL_PKEY_RSA_PAD_MODE_PKCSV15, RSA_PKCS1_PADDING},
                  {OSSL_PKEY_RSA_PAD_MODE_OAEP, RSA_PKCS1_OAEP_PADDING},
                  {"oeap", RSA_PKCS1_OAEP_PADDING},
                  {OSSL_PKEY_RSA_PAD_MODE_X931, RSA_X931_PADDING}};
    for (const auto& m : kModes) {
        if (std::strcmp(static_cast<const char*>(p->data), m.name) == 0) {
            *mode = m.mode;
            return 1;
        }
    }
    return 0;
}

int SetDigestParam(CipherCtx* ctx, const OSSL_PARAM params[], const char* name_key,
                   const char* props_key, EvpMdPtr* out) {
    auto md = DigestFromParams(ctx->prov->libctx(), params, name_key, props_key, ctx->propq);
    if (!md.ok()) {
        Raise(ctx, md.status());
        return 0;
    }
    if (*md != nullptr)
        *out = std::move(*md);
    return 1;
}

int rsa_cipher_set_ctx_params(void* vctx, const OSSL_PARAM params[]) {
    auto* ctx = static_cast<CipherCtx*>(vctx);
    if (params == nullptr)
        return 1;
    const OSSL_PARAM* p = OSSL_PARAM_locate_const(params, OSSL_ASYM_CIPHER_PARAM_PAD_MODE);
    if (p != nullptr) {
        int mode = 0;
        if (!GetPadMode(p, &mode))
            return 0;
        if (mode != RSA_PKCS1_PADDING && mode != RSA_PKCS1_OAEP_PADDING &&
            mode != RSA_PKCS1_WITH_TLS_PADDING) {
            Raise(ctx, Status(ErrorCode::kUnsupported,
                              "Key Vault decrypts RSA only with PKCS#1 v1.5 or OAEP padding "
                              "(no raw RSA)"));
            return 0;
        }
        ctx->pad_mode = mode;
    }
    if (!SetDigestParam(ctx, params, OSSL_ASYM_CIPHER_PARAM_OAEP_DIGEST,
                        OSSL_ASYM_CIPHER_PARAM_OAEP_DIGEST_PROPS, &ctx->oaep_md) ||
        !SetDigestParam(ctx, params, OSSL_ASYM_CIPHER_PARAM_MGF1_DIGEST,
                        OSSL_ASYM_CIPHER_PARAM_MGF1_DIGEST_PROPS, &ctx->mgf1_md))
        return 0;
    p = OSSL_PARAM_locate_const(params, OSSL_ASYM_CIPHER_PARAM_OAEP_LABEL);
    if (p != nullptr)
        ctx->label_set = p->data_size > 0;
    p = OSSL_PARAM_locate_const(params, OSSL_ASYM_CIPHER_PARAM_TLS_CLIENT_VERSION);
    if (p != nullptr && !OSSL_PARAM_get_uint(p, &ctx->tls_client_version))
        return 0;
    p = OSSL_PARAM_locate_const(params, OSSL_ASYM_CIPHER_PARAM_TLS_NEGOTIATED_VERSION);
    if (p != nullptr && !OSSL_PARAM_get_uint(p, &ctx->tls_alt_version))
        return 0;
    return 1;
}

const OSSL_PARAM* rsa_cipher_settable_ctx_params(void*, void*) {
    static const OSSL_PARAM kSettable[] = {
        OSSL_PARAM_utf8_string(OSSL_ASYM_CIPHER_PARAM_PAD_MODE, nullptr, 0),
        OSSL_PARAM_utf8_string(OSSL_ASYM_CIPHER_PARAM_OAEP_DIGEST, nullptr, 0),
        OSSL_PARAM_utf8_string(OSSL_ASYM_CIPHER_PARAM_OAEP_DIGEST_PROPS, nullptr, 0),
        OSSL_PARAM_utf8_string(OSSL_ASYM_CIPHER_PARAM_MGF1_DIGEST, nullptr, 0),
        OSSL_PARAM_utf8_string(OSSL_ASYM_CIPHER_PARAM_MGF1_DIGEST_PROPS, nullptr, 0),
        OSSL_PARAM_octet_string(OSSL_ASYM_CIPHER_PARAM_OAEP_LABEL, nullptr, 0),
        OSSL_PARAM_uint(OSSL_ASYM_CIPHER_PARAM_TLS_CLIENT_VERSION, nullptr),
        OSSL_PARAM_uint(OSSL_ASYM_CIPHER_PARAM_TLS_NEGOTIATED_VERSION, nullptr),
        OSSL_PARAM_END,
    };
    return kSettable;
}

int rsa_cipher_get_ctx_params(void* vctx, OSSL_PARAM params[]) {
    auto* ctx = static_cast<CipherCtx*>(vctx);
    OSSL_PARAM* p = OSSL_PARAM_locate(params, OSSL_ASYM_CIPHER_PARAM_PAD_MODE);
    if (p != nullptr && !OSSL_PARAM_set_int(p, ctx->pad_mode))
        return 0;
    p = OSSL_PARAM_locate(params, OSSL_ASYM_CIPHER_PARAM_OAEP_DIGEST);
    if (p != nullptr &&
        !OSSL_PARAM_set_utf8_string(
            p, ctx->oaep_md != nullptr ? EVP_MD_get0_name(ctx->oaep_md.get()) : "SHA1"))
        return 0;
    return 1;
}

const OSSL_PARAM* rsa_cipher_gettable_ctx_params(void*, void*) {
    static const OSSL_PARAM kGettable[] = {
        OSSL_PARAM_int(OSSL_ASYM_CIPHER_PARAM_PAD_MODE, nullptr),
        OSSL_PARAM_utf8_string(OSSL_ASYM_CIPHER_PARAM_OAEP_DIGEST, nullptr, 0),
        OSSL_PARAM_END,
    };
    return kGettable;
}

}  // namespace

const OSSL_DISPATCH kRsaAsymCipherFunctions[] = {
    AZKV_FN(OSSL_FUNC_ASYM_CIPHER_NEWCTX, rsa_cipher_newctx),
    AZKV_FN(OSSL_FUNC_ASYM_CIPHER_FREECTX, rsa_cipher_freectx),
    AZKV_FN(OSSL_FUNC_ASYM_CIPHER_DUPCTX, rsa_cipher_dupctx),
    AZKV_FN(OSSL_FUNC_ASYM_CIPHER_DECRYPT_INIT, rsa_decrypt_init),
    AZKV_FN(OSSL_FUNC_ASYM_CIPHER_DECRYPT, rsa_decrypt),
    AZKV_FN(OSSL_FUNC_ASYM_CIPHER_ENCRYPT_INIT, rsa_encrypt_init),
    AZKV_FN(OSSL_FUNC_ASYM_CIPHER_ENCRYPT, rsa_encrypt),
    AZKV_FN(OSSL_FUNC_ASYM_CIPHER_GET_CTX_PARAMS, rsa_cipher_get_ctx_params),
    AZKV_FN(OSSL_FUNC_ASYM_CIPHER_GETTABLE_CTX_PARAMS, rsa_cipher_gettable_ctx_params),
    AZKV_FN(OSSL_FUNC_ASYM_CIPHER_SET_CTX_PARAMS, rsa_cipher_set_ctx_params),
    AZKV_FN(OSSL_FUNC_ASYM_CIPHER_SETTABLE_CTX_PARAMS, rsa_cipher_settable_ctx_params),
    {0, nullptr},
};

}  // namespace azkv::provider
