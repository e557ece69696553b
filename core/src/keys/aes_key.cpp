#include "azkv/keys/aes_key.h"

namespace azkv::keys {
namespace {

const char* ModeSuffix(AesMode mode) {
    switch (mode) {
        case AesMode::kGcm:
            return "GCM";
        case AesMode::kCbcPad:
            return "CBCPAD";
        case AesMode::kKeyWrap:
            return "KW";
    }
    return "";
}

std::string AlgFor(int bits, AesMode mode) {
    return "A" + std::to_string(bits) + ModeSuffix(mode);
}

bool ValidBits(int bits) {
    return bits == 128 || bits == 192 || bits == 256;
}

keyvault::Client::CipherInput Request(const std::string& alg, const AesInput& in) {
    keyvault::Client::CipherInput r;
    r.alg = alg;
    r.value = in.value.data();
    r.value_len = in.value.size();
    r.iv.assign(in.iv.begin(), in.iv.end());
    r.aad.assign(in.aad.begin(), in.aad.end());
    r.tag.assign(in.tag.begin(), in.tag.end());
    return r;
}

Status BadAnswer(const std::string& context, const std::string& what) {
    return Status(ErrorCode::kBadResponse,
                  context + "the HSM's answer fails its local check (" + what +
                      "); it was not used. Retry; if it persists, report it with the request id");
}

}  // namespace

bool AesKey::IsSymmetric(const keyvault::KeyBundle& bundle) {
    return bundle.key.kty == "oct" || bundle.key.kty == "oct-HSM";
}

StatusOr<std::shared_ptr<const AesKey>> AesKey::Create(std::shared_ptr<keyvault::Client> client,
                                                       keyvault::KeyBundle bundle, int bits,
                                                       KeyPolicy policy) {
    AZKV_ASSIGN_OR_RETURN(KeyIdentity id, IdentifyKey(client.get(), bundle));
    std::shared_ptr<AesKey> k(new AesKey);
    k->client_ = std::move(client);
    k->id_ = std::move(id);
    if (!IsSymmetric(bundle)) {
        return Status(ErrorCode::kUnsupported,
                      k->Context("load") + "key type " + bundle.key.kty + " is not an AES key");
    }
    if (!k->id_.managed_hsm) {
        return Status(ErrorCode::kUnsupported,
                      k->Context("load") +
                          "symmetric keys are used on Managed HSM only (on Key Vault they are "
                          "a preview feature); use a Managed HSM, or an RSA key to wrap keys");
    }
    if (bundle.key.kty != "oct-HSM" && !policy.allow_software_keys) {
        return Status(ErrorCode::kUnsupported,
                      k->Context("load") +
                          "the key is software-protected (kty oct); azkv uses HSM-protected "
                          "keys only unless \"allow_software_keys\" is set on this vault");
    }
    if (!ValidBits(bits)) {
        return Status(ErrorCode::kUnsupported, k->Context("load") + "AES key size " +
                                                   std::to_string(bits) +
                                                   " is not 128, 192 or 256 bits");
    }
    k->bits_ = bits;
    k->bundle_ = std::move(bundle);
    return std::shared_ptr<const AesKey>(std::move(k));
}

StatusOr<int> AesKey::ProbeBits(keyvault::Client& client, const keyvault::KeyBundle& bundle) {
    AZKV_ASSIGN_OR_RETURN(KeyIdentity id, IdentifyKey(&client, bundle));
    std::string context = id.Context("size probe");
    bool wrap = bundle.key.HasOp("wrapKey");
    if (!wrap && !bundle.key.HasOp("encrypt")) {
        return Status(ErrorCode::kUnsupported,
                      context +
                          "the service does not report an AES key's size, and this key permits "
                          "neither wrapKey nor encrypt, with which azkv learns it; add one of "
                          "them to the key's key_ops");
    }
    static const uint8_t kZeros[16] = {};
    const std::string operation = wrap ? "wrapkey" : "encrypt";
    const size_t probe_len = wrap ? 16 : 1;
    Status last;
    for (int bits : {256, 128, 192}) {
        keyvault::Client::CipherInput in;
        in.alg = AlgFor(bits, wrap ? AesMode::kKeyWrap : AesMode::kGcm);
        in.value = kZeros;
        in.value_len = probe_len;
        in.quiet_statuses = {400};  // the wrong sizes' answer: expected, not an error
        auto r = client.Cipher(operation, id.name, id.version, in);
        if (r.ok())
            return bits;
        if (r.status().http_status() != 400)
            return r.status();  // forbidden, unreachable, ...: the same for every size
        last = r.status();
    }
    return Status(ErrorCode::kUnsupported, context + "the HSM refused " + operation +
                                               " with every AES size (" + last.message() + ")");
}

std::string AesKey::Alg(AesMode mode) const {
    return AlgFor(bits_, mode);
}

Status AesKey::CheckInput(AesMode mode, const AesInput& in, bool encrypt) const {
    const std::string op = encrypt ? "encrypt" : "decrypt";
    if (mode == AesMode::kKeyWrap) {
        return Status(ErrorCode::kInvalidArgument,
                      Context(op) + Alg(mode) + " is for wrapkey/unwrapkey");
    }
    if (mode == AesMode::kCbcPad) {
        if (in.iv.size() != kBlockBytes) {
            return Status(ErrorCode::kInvalidArgument, Context(op) + Alg(mode) +
                                                           " needs a 16-byte IV, got " +
                                                           std::to_string(in.iv.size()));
        }
        if (!encrypt && (in.value.empty() || in.value.size() % kBlockBytes != 0)) {
            return Status(
                ErrorCode::kInvalidArgument,
                Context(op) + Alg(mode) + " ciphertext must be a non-empty multiple of 16 bytes");
        }
        return Status::Ok();
    }
    if (encrypt && !in.iv.empty()) {
        return Status(ErrorCode::kInvalidArgument,
                      Context(op) + "the HSM generates the GCM IV; none may be given");
    }
    if (!encrypt && (in.iv.empty() || in.tag.size() != kGcmTagBytes)) {
        return Status(ErrorCode::kInvalidArgument,
                      Context(op) + Alg(mode) +
                          " decryption needs the IV and the 16-byte tag from encryption");
    }
    return Status::Ok();
}

StatusOr<AesCiphertext> AesKey::Encrypt(AesMode mode, const AesInput& in) const {
    AZKV_RETURN_IF_ERROR(CheckInput(mode, in, true));
    AZKV_ASSIGN_OR_RETURN(
        auto r, client_->Cipher("encrypt", id_.name, id_.version, Request(Alg(mode), in)));
    AesCiphertext out;
    out.value.assign(r.value.begin(), r.value.end());
    if (mode == AesMode::kGcm) {
        if (out.value.size() != in.value.size())
            return BadAnswer(Context("encrypt"), "GCM ciphertext length differs from plaintext");
        if (r.tag.size() != kGcmTagBytes)
            return BadAnswer(Context("encrypt"), "GCM tag is not 16 bytes");
        if (r.iv.size() != 12 && r.iv.size() != 16)
            return BadAnswer(Context("encrypt"), "GCM IV is not 12 or 16 bytes");
        out.iv = std::move(r.iv);
        out.tag = std::move(r.tag);
    } else {
        size_t expected = (in.value.size() / kBlockBytes + 1) * kBlockBytes;
        if (out.value.size() != expected)
            return BadAnswer(Context("encrypt"), "CBC-PAD ciphertext has the wrong length");
        out.iv.assign(in.iv.begin(), in.iv.end());
    }
    return out;
}

StatusOr<SecureBytes> AesKey::Decrypt(AesMode mode, const AesInput& in) const {
    AZKV_RETURN_IF_ERROR(CheckInput(mode, in, false));
    AZKV_ASSIGN_OR_RETURN(
        auto r, client_->Cipher("decrypt", id_.name, id_.version, Request(Alg(mode), in)));
    bool ok = mode == AesMode::kGcm ? r.value.size() == in.value.size()
                                    : r.value.size() < in.value.size() &&
                                          r.value.size() + kBlockBytes >= in.value.size();
    if (!ok)
        return BadAnswer(Context("decrypt"), "plaintext length does not fit the ciphertext");
    return std::move(r.value);
}

StatusOr<std::vector<uint8_t>> AesKey::Wrap(std::span<const uint8_t> key) const {
    if (key.size() < 16 || key.size() % 8 != 0) {
        return Status(ErrorCode::kInvalidArgument,
                      Context("wrapkey") + Alg(AesMode::kKeyWrap) +
                          " wraps keys of a multiple of 8 bytes, at least 16; got " +
                          std::to_string(key.size()));
    }
    AZKV_ASSIGN_OR_RETURN(auto r,
                          client_->Cipher("wrapkey", id_.name, id_.version,
                                          Request(Alg(AesMode::kKeyWrap), AesInput{.value = key})));
    if (r.value.size() != key.size() + 8)
        return BadAnswer(Context("wrapkey"), "wrapped key is not 8 bytes longer than the key");
    return std::vector<uint8_t>(r.value.begin(), r.value.end());
}

StatusOr<SecureBytes> AesKey::Unwrap(std::span<const uint8_t> wrapped) const {
    if (wrapped.size() < 24 || wrapped.size() % 8 != 0) {
        return Status(ErrorCode::kInvalidArgument,
                      Context("unwrapkey") + Alg(AesMode::kKeyWrap) +
                          " wrapped keys are a multiple of 8 bytes, at least 24; got " +
                          std::to_string(wrapped.size()));
    }
    AZKV_ASSIGN_OR_RETURN(
        auto r, client_->Cipher("unwrapkey", id_.name, id_.version,
                                Request(Alg(AesMode::kKeyWrap), AesInput{.value = wrapped})));
    if (r.value.size() + 8 != wrapped.size())
        return BadAnswer(Context("unwrapkey"), "key is not 8 bytes shorter than the wrapped key");
    return std::move(r.value);
}

}  // namespace azkv::keys
