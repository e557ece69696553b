#include "signature_common.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "errors.h"
#include "key_object.h"
#include "provider_ctx.h"

namespace azkv::provider {
namespace {

constexpr const char kDefaultDigest[] = "SHA256";

int SetCommonParams(SignatureCtx* ctx, const OSSL_PARAM params[]);
int GetCommonParams(SignatureCtx* ctx, OSSL_PARAM params[]);

SignatureCtx* AsCtx(void* vctx) {
    return static_cast<SignatureCtx*>(vctx);
}

Status SetKey(SignatureCtx* ctx, void* vkey, int operation) {
    ctx->operation = operation;
    if (vkey == nullptr) {
        if (ctx->pub == nullptr)
            return Status(ErrorCode::kInvalidArgument, "no key was given");
        return Status::Ok();  // re-init with the same key
    }
    const auto* key = static_cast<const ProviderKey*>(vkey);
    if (key->kind != ctx->alg->kind || key->pub == nullptr) {
        return Status(ErrorCode::kInvalidArgument,
                      std::string("the key is not a ") + ctx->alg->name + " key");
    }
    if (operation == EVP_PKEY_OP_SIGN && !key->has_private()) {
        return Status(ErrorCode::kInvalidArgument,
                      "this is a public key only (imported into azkv for comparison); "
                      "load the vault key through an azkv: URI or key reference to sign");
    }
    ctx->remote = key->remote;
    ctx->pub = SharePkey(key->pub.get());
    ctx->key_name = key->uri;
    return Status::Ok();
}

Status SetDigest(SignatureCtx* ctx, const char* name, const char* props) {
    AZKV_ASSIGN_OR_RETURN(
        ctx->md, FetchDigest(ctx->prov->libctx(), name, props != nullptr ? props : ctx->propq));
    ctx->mdctx.reset();
    return Status::Ok();
}

size_t SignatureSize(const SignatureCtx* ctx) {
    return static_cast<size_t>(EVP_PKEY_get_size(ctx->pub.get()));
}

// A public-key context in another provider, configured like ours: local verification and the
// DER AlgorithmIdentifier (which OpenSSL's own implementations already know how to write).
StatusOr<EvpPkeyCtxPtr> Mirror(const SignatureCtx* ctx) {
    EvpPkeyCtxPtr mirror(EVP_PKEY_CTX_new_from_pkey(nullptr, ctx->pub.get(), "provider!=azkv"));
    if (!mirror || EVP_PKEY_verify_init(mirror.get()) <= 0 ||
        (ctx->md != nullptr && EVP_PKEY_CTX_set_signature_md(mirror.get(), ctx->md.get()) <= 0)) {
        return Status(ErrorCode::kInternal,
                      "cannot set up a local verification context: " + OpensslErrorString());
    }
    AZKV_RETURN_IF_ERROR(ctx->alg->configure_mirror(ctx, mirror.get()));
    return mirror;
}

int SignInto(SignatureCtx* ctx, unsigned char* sig, size_t* siglen, size_t sigsize,
             std::span<const uint8_t> tbs) {
    auto signature = ctx->alg->sign(ctx, tbs);
    if (!signature.ok()) {
        SignatureRaise(ctx, signature.status());
        return 0;
    }
    if (signature->size() > sigsize) {
        SignatureRaise(ctx,
                       Status(ErrorCode::kInvalidArgument, "the signature buffer is too small"));
        return 0;
    }
    std::copy(signature->begin(), signature->end(), sig);
    *siglen = signature->size();
    return 1;
}

int VerifyWith(SignatureCtx* ctx, std::span<const uint8_t> sig, std::span<const uint8_t> tbs) {
    auto mirror = Mirror(ctx);
    if (!mirror.ok()) {
        SignatureRaise(ctx, mirror.status());
        return 0;
    }
    return EVP_PKEY_verify(mirror->get(), sig.data(), sig.size(), tbs.data(), tbs.size());
}

int DigestInit(SignatureCtx* ctx, const char* mdname, void* vkey, const OSSL_PARAM params[],
               int operation) {
    Status st = SetKey(ctx, vkey, operation);
    if (st.ok())
        st =
            SetDigest(ctx, mdname != nullptr && *mdname != '\0' ? mdname : kDefaultDigest, nullptr);
    if (!st.ok()) {
        SignatureRaise(ctx, st);
        return 0;
    }
    ctx->mdctx.reset(EVP_MD_CTX_new());
    if (!ctx->mdctx || EVP_DigestInit_ex2(ctx->mdctx.get(), ctx->md.get(), nullptr) != 1) {
        SignatureRaise(ctx,
                       Status(ErrorCode::kInternal, "digest init failed: " + OpensslErrorString()));
        return 0;
    }
    return SignatureSetCtxParams(ctx, params);
}

StatusOr<std::vector<uint8_t>> FinishDigest(SignatureCtx* ctx) {
    std::vector<uint8_t> digest(EVP_MAX_MD_SIZE);
    unsigned int len = 0;
    if (!ctx->mdctx || EVP_DigestFinal_ex(ctx->mdctx.get(), digest.data(), &len) != 1) {
        return Status(ErrorCode::kInternal, "digest final failed: " + OpensslErrorString());
    }
    digest.resize(len);
    return digest;
}

// sign/verify over a prepared input (pkeyutl): no digest unless the caller sets one.
int PlainInit(SignatureCtx* ctx, void* vkey, const OSSL_PARAM params[], int operation) {
    Status st = SetKey(ctx, vkey, operation);
    if (!st.ok()) {
        SignatureRaise(ctx, st);
        return 0;
    }
    ctx->md.reset();
    ctx->mdctx.reset();
    return SignatureSetCtxParams(ctx, params);
}

}  // namespace

void SignatureRaise(const SignatureCtx* ctx, const Status& status) {
    Status st = status;
    // RemoteKey's messages already name vault and key; add the key for the others.
    if (st.message().rfind("vault ", 0) != 0 && !ctx->key_name.empty()) {
        st.Prepend("key " + ctx->key_name +
                   (ctx->operation == EVP_PKEY_OP_SIGN ? " sign: " : " verify: "));
    }
    AZKV_RAISE_STATUS(ctx->prov, st);
}

void* SignatureNewCtx(void* provctx, const char* propq, const SignatureAlg* alg) {
    auto* ctx = new SignatureCtx;
    ctx->prov = static_cast<ProviderCtx*>(provctx);
    ctx->alg = alg;
    if (propq != nullptr)
        ctx->propq = propq;
    return ctx;
}

void SignatureFreeCtx(void* vctx) {
    delete AsCtx(vctx);
}

void* SignatureDupCtx(void* vctx) {
    const SignatureCtx* src = AsCtx(vctx);
    auto dst = std::make_unique<SignatureCtx>();
    dst->prov = src->prov;
    dst->alg = src->alg;
    dst->propq = src->propq;
    dst->operation = src->operation;
    dst->remote = src->remote;
    dst->pub = SharePkey(src->pub.get());
    dst->key_name = src->key_name;
    dst->md = ShareDigest(src->md.get());
    dst->pad_mode = src->pad_mode;
    dst->saltlen = src->saltlen;
    dst->mgf1_md = ShareDigest(src->mgf1_md.get());
    if (src->mdctx) {
        // The local hash state is all there is to copy: the remote step has not happened yet.
        dst->mdctx.reset(EVP_MD_CTX_new());
        if (!dst->mdctx || EVP_MD_CTX_copy_ex(dst->mdctx.get(), src->mdctx.get()) != 1)
            return nullptr;
    }
    return dst.release();
}

int SignatureSignInit(void* vctx, void* vkey, const OSSL_PARAM params[]) {
    return PlainInit(AsCtx(vctx), vkey, params, EVP_PKEY_OP_SIGN);
}

int SignatureSign(void* vctx, unsigned char* sig, size_t* siglen, size_t sigsize,
                  const unsigned char* tbs, size_t tbslen) {
    SignatureCtx* ctx = AsCtx(vctx);
    if (sig == nullptr) {
        *siglen = SignatureSize(ctx);
        return 1;
    }
    return SignInto(ctx, sig, siglen, sigsize, {tbs, tbslen});
}

int SignatureVerifyInit(void* vctx, void* vkey, const OSSL_PARAM params[]) {
    return PlainInit(AsCtx(vctx), vkey, params, EVP_PKEY_OP_VERIFY);
}

int SignatureVerify(void* vctx, const unsigned char* sig, size_t siglen, const unsigned char* tbs,
                    size_t tbslen) {
    return VerifyWith(AsCtx(vctx), {sig, siglen}, {tbs, tbslen});
}

int SignatureDigestSignInit(void* vctx, const char* mdname, void* vkey, const OSSL_PARAM params[]) {
    return DigestInit(AsCtx(vctx), mdname, vkey, params, EVP_PKEY_OP_SIGN);
}

int SignatureDigestVerifyInit(void* vctx, const char* mdname, void* vkey,
                              const OSSL_PARAM params[]) {
    return DigestInit(AsCtx(vctx), mdname, vkey, params, EVP_PKEY_OP_VERIFY);
}

int SignatureDigestUpdate(void* vctx, const unsigned char* data, size_t datalen) {
    SignatureCtx* ctx = AsCtx(vctx);
    return ctx->mdctx && EVP_DigestUpdate(ctx->mdctx.get(), data, datalen) == 1 ? 1 : 0;
}

int SignatureDigestSignFinal(void* vctx, unsigned char* sig, size_t* siglen, size_t sigsize) {
    SignatureCtx* ctx = AsCtx(vctx);
    if (sig == nullptr) {
        *siglen = SignatureSize(ctx);
        return 1;
    }
    auto digest = FinishDigest(ctx);
    if (!digest.ok()) {
        SignatureRaise(ctx, digest.status());
        return 0;
    }
    return SignInto(ctx, sig, siglen, sigsize, *digest);
}

int SignatureDigestSign(void* vctx, unsigned char* sig, size_t* siglen, size_t sigsize,
                        const unsigned char* tbs, size_t tbslen) {
    SignatureCtx* ctx = AsCtx(vctx);
    if (sig == nullptr) {
        *siglen = SignatureSize(ctx);
        return 1;
    }
    if (SignatureDigestUpdate(ctx, tbs, tbslen) != 1)
        return 0;
    return SignatureDigestSignFinal(ctx, sig, siglen, sigsize);
}

int SignatureDigestVerifyFinal(void* vctx, const unsigned char* sig, size_t siglen) {
    SignatureCtx* ctx = AsCtx(vctx);
    auto digest = FinishDigest(ctx);
    if (!digest.ok()) {
        SignatureRaise(ctx, digest.status());
        return 0;
    }
    return VerifyWith(ctx, {sig, siglen}, *digest);
}

int SignatureSetCtxParams(void* vctx, const OSSL_PARAM params[]) {
    SignatureCtx* ctx = AsCtx(vctx);
    if (params == nullptr)
        return 1;
    if (!SetCommonParams(ctx, params))
        return 0;
    return ctx->alg->set_params == nullptr ? 1 : ctx->alg->set_params(ctx, params);
}

int SignatureGetCtxParams(void* vctx, OSSL_PARAM params[]) {
    SignatureCtx* ctx = AsCtx(vctx);
    if (!GetCommonParams(ctx, params))
        return 0;
    return ctx->alg->get_params == nullptr ? 1 : ctx->alg->get_params(ctx, params);
}

namespace {

int SetCommonParams(SignatureCtx* ctx, const OSSL_PARAM params[]) {
    const OSSL_PARAM* p = OSSL_PARAM_locate_const(params, OSSL_SIGNATURE_PARAM_DIGEST);
    if (p == nullptr)
        return 1;
    const char* name = nullptr;
    const char* props = nullptr;
    if (!OSSL_PARAM_get_utf8_string_ptr(p, &name))
        return 0;
    const OSSL_PARAM* pp = OSSL_PARAM_locate_const(params, OSSL_SIGNATURE_PARAM_PROPERTIES);
    if (pp != nullptr && !OSSL_PARAM_get_utf8_string_ptr(pp, &props))
        return 0;
    // Changing the digest mid-stream would sign a hash of the wrong algorithm.
    if (ctx->mdctx && ctx->md != nullptr && EVP_MD_is_a(ctx->md.get(), name))
        return 1;
    Status st = SetDigest(ctx, name, props);
    if (!st.ok()) {
        SignatureRaise(ctx, st);
        return 0;
    }
    return 1;
}

int GetCommonParams(SignatureCtx* ctx, OSSL_PARAM params[]) {
    OSSL_PARAM* p = OSSL_PARAM_locate(params, OSSL_SIGNATURE_PARAM_DIGEST);
    if (p != nullptr &&
        !OSSL_PARAM_set_utf8_string(p, ctx->md != nullptr ? EVP_MD_get0_name(ctx->md.get()) : ""))
        return 0;
    p = OSSL_PARAM_locate(params, OSSL_SIGNATURE_PARAM_ALGORITHM_ID);
    if (p != nullptr) {
        if (ctx->pub == nullptr || ctx->md == nullptr) {
            SignatureRaise(ctx, Status(ErrorCode::kInvalidArgument,
                                       "an AlgorithmIdentifier needs a key and a digest"));
            return 0;
        }
        auto mirror = Mirror(ctx);
        if (!mirror.ok()) {
            SignatureRaise(ctx, mirror.status());
            return 0;
        }
        OSSL_PARAM query[] = {*p, OSSL_PARAM_construct_end()};
        if (EVP_PKEY_CTX_get_params(mirror->get(), query) != 1) {
            SignatureRaise(
                ctx, Status(ErrorCode::kInternal,
                            "cannot encode the AlgorithmIdentifier: " + OpensslErrorString()));
            return 0;
        }
        p->return_size = query[0].return_size;
    }
    return 1;
}

}  // namespace

}  // namespace azkv::provider
