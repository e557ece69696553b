#include "azkv/keys/remote_key.h"

#include <openssl/core_names.h>
#include <openssl/rsa.h>

#include "azkv/keys/ecdsa.h"
#include "azkv/keyvault/jwk_key.h"
#include "azkv/log/log.h"

namespace azkv::keys {

using keyvault::KeyBundle;

namespace {

// ES256 pairs with P-256 and P-256K, ES384 with P-384, ES512 with P-521 (and SHA-512).
struct CurveRule {
    const char* crv;
    const char* alg;
    size_t slot_bytes;
    size_t order_bits;
};
constexpr CurveRule kCurves[] = {
    {"P-256", "ES256", 32, 256},
    {"P-256K", "ES256K", 32, 256},
    {"P-384", "ES384", 48, 384},
    {"P-521", "ES512", 64, 521},
};

const CurveRule* FindCurve(const std::string& crv) {
    for (const auto& c : kCurves) {
        if (crv == c.crv)
            return &c;
    }
    return nullptr;
}

const char* ShaSuffix(DigestAlg d) {
    switch (d) {
        case DigestAlg::kSha256:
            return "256";
        case DigestAlg::kSha384:
            return "384";
        case DigestAlg::kSha512:
            return "512";
        default:
            return nullptr;
    }
}

}  // namespace

StatusOr<std::shared_ptr<const RemoteKey>> RemoteKey::Create(
    std::shared_ptr<keyvault::Client> client, KeyBundle bundle, KeyPolicy policy) {
    AZKV_ASSIGN_OR_RETURN(KeyIdentity id, IdentifyKey(client.get(), bundle));
    std::shared_ptr<RemoteKey> k(new RemoteKey);
    k->client_ = std::move(client);
    k->id_ = std::move(id);
    const std::string& kty = bundle.key.kty;
    if (kty == "RSA" || kty == "RSA-HSM") {
        k->kind_ = KeyKind::kRsa;
    } else if (kty == "EC" || kty == "EC-HSM") {
        k->kind_ = KeyKind::kEc;
    } else {
        return Status(ErrorCode::kUnsupported,
                      k->Context("load") + "key type " + kty +
                          " is not an RSA or EC key pair; it cannot sign or decrypt");
    }
    k->hsm_ = kty.size() > 4 && kty.compare(kty.size() - 4, 4, "-HSM") == 0;
    if (!k->hsm_ && !policy.allow_software_keys) {
        return Status(ErrorCode::kUnsupported,
                      k->Context("load") + "the key is software-protected (kty " + kty +
                          "), and azkv uses HSM-protected keys only; create it as " + kty +
                          "-HSM, or set \"allow_software_keys\": true on this vault in the "
                          "config (for development vaults)");
    }
    AZKV_ASSIGN_OR_RETURN(k->public_key_, keyvault::PublicKeyFromJwk(bundle.key));
    k->bits_ = EVP_PKEY_get_bits(k->public_key_.get());
    if (k->kind_ == KeyKind::kEc && FindCurve(bundle.key.crv) == nullptr) {
        return Status(ErrorCode::kUnsupported,
                      k->Context("load") + "curve " + bundle.key.crv + " is not supported");
    }
    // RSA answers are always checked: cheap, and a faulty RSA-CRT signature can reveal the key.
    k->sampler_.SetSampled(k->kind_ == KeyKind::kEc &&
                           policy.verify_signatures == VerifySignatures::kSampled);
    k->bundle_ = std::move(bundle);
    return std::shared_ptr<const RemoteKey>(std::move(k));
}

const char* RemoteKey::EncryptionAlgName(RsaEncryption alg) {
    switch (alg) {
        case RsaEncryption::kPkcs1:
            return "RSA1_5";
        case RsaEncryption::kOaepSha1:
            return "RSA-OAEP";
        case RsaEncryption::kOaepSha256:
            return "RSA-OAEP-256";
    }
    return "";
}

StatusOr<SignPlan> RemoteKey::PlanRsaSign(DigestAlg digest, std::span<const uint8_t> value,
                                          RsaPadding padding) const {
    if (kind_ != KeyKind::kRsa) {
        return Status(ErrorCode::kUnsupported, Context("sign") + "not an RSA key");
    }
    if (value.size() != DigestSize(digest)) {
        return Status(ErrorCode::kInvalidArgument,
                      Context("sign") + "a " + DigestName(digest) + " digest is " +
                          std::to_string(DigestSize(digest)) + " bytes, got " +
                          std::to_string(value.size()));
    }
    SignPlan plan;
    plan.kind = KeyKind::kRsa;
    plan.padding = padding;
    plan.signature_len = ModulusBytes();
    plan.md = DigestMd(digest);
    const char* sha = ShaSuffix(digest);
    if (padding == RsaPadding::kPss) {
        if (sha == nullptr) {
            return Status(ErrorCode::kUnsupported,
                          Context("sign") + "RSA-PSS with " + DigestName(digest) +
                              " is not available: Key Vault signs PSS only with SHA-256, "
                              "SHA-384 or SHA-512 (PS256/PS384/PS512)");
        }
        plan.alg = std::string("PS") + sha;
        plan.value.assign(value.begin(), value.end());
        return plan;
    }
    if (sha != nullptr) {
        plan.alg = std::string("RS") + sha;  // the service adds the DigestInfo itself
        plan.value.assign(value.begin(), value.end());
        return plan;
    }
    if (id_.managed_hsm) {
        return Status(ErrorCode::kUnsupported,
                      Context("sign") +
                          "Managed HSM signs PKCS#1 v1.5 only with SHA-256, "
                          "SHA-384 or SHA-512; " +
                          DigestName(digest) +
                          " would need RSNULL, which Managed HSM does not offer");
    }
    // SHA-1, SHA-224 and TLS 1.0's MD5+SHA-1: the client builds the DigestInfo, RSNULL pads it.
    plan.alg = "RSNULL";
    plan.value = BuildDigestInfo(digest, value);
    return plan;
}

StatusOr<SignPlan> RemoteKey::PlanRsaSignRaw(std::span<const uint8_t> data) const {
    if (kind_ != KeyKind::kRsa) {
        return Status(ErrorCode::kUnsupported, Context("sign") + "not an RSA key");
    }
    if (id_.managed_hsm) {
        // Without RSNULL, only inputs the service can rebuild itself are possible.
        auto info = ParseDigestInfo(data);
        if (!info || ShaSuffix(info->alg) == nullptr) {
            return Status(ErrorCode::kInvalidArgument,
                          Context("sign") +
                              "Managed HSM can sign raw PKCS#1 v1.5 input only "
                              "when it is a SHA-256, SHA-384 or SHA-512 DigestInfo");
        }
        return PlanRsaSign(info->alg, info->digest, RsaPadding::kPkcs1);
    }
    if (data.empty() || data.size() + 11 > ModulusBytes()) {
        return Status(ErrorCode::kInvalidArgument,
                      Context("sign") + "PKCS#1 v1.5 input must be 1 to " +
                          std::to_string(ModulusBytes() - 11) + " bytes for this key, got " +
                          std::to_string(data.size()));
    }
    SignPlan plan;
    plan.kind = KeyKind::kRsa;
    plan.alg = "RSNULL";
    plan.value.assign(data.begin(), data.end());
    plan.signature_len = ModulusBytes();
    return plan;
}

StatusOr<SignPlan> RemoteKey::PlanEcdsaSign(std::span<const uint8_t> digest) const {
    if (kind_ != KeyKind::kEc) {
        return Status(ErrorCode::kUnsupported, Context("sign") + "not an EC key");
    }
    const CurveRule* c = FindCurve(bundle_.key.crv);
    auto fitted = FitEcdsaDigest(digest, c->slot_bytes, c->order_bits);
    if (!fitted.ok()) {
        return Status(ErrorCode::kInvalidArgument, Context("sign") + fitted.status().message());
    }
    SignPlan plan;
    plan.kind = KeyKind::kEc;
    plan.alg = c->alg;
    plan.value = std::move(*fitted);
    plan.signature_len = 2 * keyvault::CurveFieldBytes(bundle_.key.crv);
    return plan;
}

Status RemoteKey::VerifyLocal(const SignPlan& plan, std::span<const uint8_t> signature) const {
    std::vector<uint8_t> der;
    if (plan.kind == KeyKind::kEc) {
        AZKV_ASSIGN_OR_RETURN(der, EcdsaRawToDer(signature));
        signature = der;
    }
    EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, public_key_.get(), nullptr));
    bool ok = ctx && EVP_PKEY_verify_init(ctx.get()) > 0;
    if (ok && plan.kind == KeyKind::kRsa) {
        bool pss = plan.padding == RsaPadding::kPss;
        ok = EVP_PKEY_CTX_set_rsa_padding(ctx.get(),
                                          pss ? RSA_PKCS1_PSS_PADDING : RSA_PKCS1_PADDING) > 0 &&
             (plan.md == nullptr || plan.alg == "RSNULL" ||
              EVP_PKEY_CTX_set_signature_md(ctx.get(), plan.md) > 0);
        if (ok && pss) {
            ok = EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx.get(), RSA_PSS_SALTLEN_DIGEST) > 0 &&
                 EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), plan.md) > 0;
        }
    }
    if (ok) {
        ok = EVP_PKEY_verify(ctx.get(), signature.data(), signature.size(), plan.value.data(),
                             plan.value.size()) == 1;
    }
    if (!ok) {
        OpensslErrorString();  // clears the queue
        return Status(ErrorCode::kBadResponse,
                      Context("sign") + "the " + plan.alg +
                          " signature from the service does not verify with the key's public "
                          "key; refusing to pass it on");
    }
    return Status::Ok();
}

StatusOr<std::vector<uint8_t>> RemoteKey::FinishSign(const SignPlan& plan,
                                                     const SecureBytes& remote) const {
    if (remote.size() != plan.signature_len) {
        return Status(ErrorCode::kBadResponse, Context("sign") + "the service returned a " +
                                                   std::to_string(remote.size()) + "-byte " +
                                                   plan.alg + " signature; this key's are " +
                                                   std::to_string(plan.signature_len) + " bytes");
    }
    // A wrong signature would fail at the peer, far from its cause: catch it here.
    if (sampler_.ShouldCheck()) {
        Status checked = VerifyLocal(plan, remote);
        if (!checked.ok()) {
            if (sampler_.RecordFailure()) {
                log::Write({.level = LogLevel::kError,
                            .vault = id_.vault,
                            .key = id_.name + "/" + id_.version,
                            .operation = "sign",
                            .message = "a signature from the service failed the local check; "
                                       "every later answer of this key version is checked"});
            }
            return checked;
        }
    }
    return std::vector<uint8_t>(remote.begin(), remote.end());
}

StatusOr<std::vector<uint8_t>> RemoteKey::Sign(const SignPlan& plan) const {
    AZKV_ASSIGN_OR_RETURN(keyvault::KeyOperationResult r,
                          client_->Sign(id_.name, id_.version, plan.alg, plan.value));
    return FinishSign(plan, r.value);
}

StatusOr<DecryptPlan> RemoteKey::PlanDecrypt(RsaEncryption alg, std::span<const uint8_t> ciphertext,
                                             bool unwrap) const {
    const char* op = unwrap ? "unwrapkey" : "decrypt";
    if (kind_ != KeyKind::kRsa) {
        return Status(ErrorCode::kUnsupported, Context(op) + "only RSA keys can decrypt");
    }
    if (ciphertext.size() != ModulusBytes()) {
        return Status(ErrorCode::kInvalidArgument,
                      Context(op) + "RSA ciphertext must be " + std::to_string(ModulusBytes()) +
                          " bytes for this key, got " + std::to_string(ciphertext.size()));
    }
    return DecryptPlan{op, EncryptionAlgName(alg),
                       std::vector<uint8_t>(ciphertext.begin(), ciphertext.end())};
}

StatusOr<SecureBytes> RemoteKey::Decrypt(const DecryptPlan& plan) const {
    keyvault::Client::CipherInput in;
    in.alg = plan.alg;
    in.value = plan.ciphertext.data();
    in.value_len = plan.ciphertext.size();
    AZKV_ASSIGN_OR_RETURN(keyvault::KeyOperationResult r,
                          client_->Cipher(plan.operation, id_.name, id_.version, in));
    // A plaintext cannot be longer than the modulus minus the padding's minimum.
    if (r.value.size() + 11 > ModulusBytes()) {
        return Status(ErrorCode::kBadResponse,
                      Context(plan.operation) + "the service returned " +
                          std::to_string(r.value.size()) +
                          " bytes of plaintext, more than this key can hold; refusing it");
    }
    return std::move(r.value);
}

StatusOr<std::vector<uint8_t>> RemoteKey::EncryptLocal(RsaEncryption alg,
                                                       std::span<const uint8_t> plaintext) const {
    if (kind_ != KeyKind::kRsa) {
        return Status(ErrorCode::kUnsupported, Context("encrypt") + "only RSA keys can encrypt");
    }
    EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, public_key_.get(), nullptr));
    bool ok = ctx && EVP_PKEY_encrypt_init(ctx.get()) > 0;
    if (ok && alg == RsaEncryption::kPkcs1) {
        ok = EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) > 0;
    } else if (ok) {
        const EVP_MD* md =
            DigestMd(alg == RsaEncryption::kOaepSha1 ? DigestAlg::kSha1 : DigestAlg::kSha256);
        ok = EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING) > 0 &&
             EVP_PKEY_CTX_set_rsa_oaep_md(ctx.get(), md) > 0 &&
             EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), md) > 0;
    }
    size_t out_len = 0;
    ok = ok &&
         EVP_PKEY_encrypt(ctx.get(), nullptr, &out_len, plaintext.data(), plaintext.size()) > 0;
    std::vector<uint8_t> out(out_len);
    ok = ok &&
         EVP_PKEY_encrypt(ctx.get(), out.data(), &out_len, plaintext.data(), plaintext.size()) > 0;
    if (!ok) {
        return Status(ErrorCode::kInvalidArgument, Context("encrypt") + EncryptionAlgName(alg) +
                                                       " failed: " + OpensslErrorString() +
                                                       " (is the plaintext too long?)");
    }
    out.resize(out_len);
    return out;
}

}  // namespace azkv::keys
