#include "bridge_aes.h"

#include <algorithm>
#include <cstring>

#include "aes_key_generation.h"
#include "aes_params.h"
#include "bridge.h"
#include "bridge_util.h"
#include "ckr_mapping.h"
#include "mechanism_params.h"
#include "secret_key_object.h"
#include "wrap_unwrap.h"

namespace azkv::p11::bridge {
namespace {

bool IsAes(CK_MECHANISM_PTR m) {
    if (m == nullptr)
        return false;
    const MechanismSpec* spec = FindMechanism(m->mechanism);
    return spec != nullptr && spec->family == KeyFamily::kAes;
}

std::unique_ptr<AesOperation>& Slot(Session& s, bool encrypt) {
    return encrypt ? s.aes_encrypt : s.aes_decrypt;
}

bool AesActive(CK_SESSION_HANDLE h, bool encrypt) {
    auto call = EnterSession(h);
    return Slot(*call.session, encrypt) != nullptr;
}

// A Managed HSM AES key object whose `permission` attribute is true.
ObjectPtr AesKeyFor(Token& token, CK_OBJECT_HANDLE handle, CK_ATTRIBUTE_TYPE permission,
                    CK_RV invalid_handle_rv, CK_RV type_rv) {
    ObjectPtr o = token.TryGetObject(handle);
    if (o == nullptr)
        Fail(invalid_handle_rv);
    if (!o->aes_key) {
        Fail(type_rv,
             "AES mechanisms run in the Managed HSM: the key must be one of its AES (oct-HSM) "
             "keys, not a session key or an RSA/EC key");
    }
    if (!o->attributes.BoolOr(permission, false)) {
        Fail(CKR_KEY_FUNCTION_NOT_PERMITTED,
             "key " + o->name + "/" + o->version +
                 " does not permit this operation (its key_ops in the Managed HSM)");
    }
    return o;
}

CK_RV Init(CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE key, bool encrypt) {
    auto call = EnterSession(h);
    Session& s = *call.session;
    if ((encrypt ? s.encrypt != nullptr : s.decrypt != nullptr) || Slot(s, encrypt))
        Fail(CKR_OPERATION_ACTIVE);
    MechanismFor(call.token(), m, encrypt ? CKF_ENCRYPT : CKF_DECRYPT);
    AesParams params = AesParamsFor(*m, encrypt);
    ObjectPtr o = AesKeyFor(call.token(), key, encrypt ? CKA_ENCRYPT : CKA_DECRYPT,
                            CKR_KEY_HANDLE_INVALID, CKR_KEY_TYPE_INCONSISTENT);
    Slot(s, encrypt) = std::make_unique<AesOperation>(o->aes_key, std::move(params), encrypt);
    return CKR_OK;
}

// Finishes the operation in `slot`: a length query, or a short buffer when the length is
// known, returns without the remote call; otherwise the one remote call is made and its
// result kept until it fits.
CK_RV Complete(std::unique_ptr<AesOperation>& slot, CK_BYTE_PTR out, CK_ULONG_PTR out_len) {
    AesOperation& op = *slot;
    if (!op.has_result()) {
        switch (PrepareOutput(out, out_len, op.OutputLength())) {
            case Output::kQuery:
                return CKR_OK;
            case Output::kTooSmall:
                if (op.OutputLengthExact())
                    return CKR_BUFFER_TOO_SMALL;
                break;  // CBC-PAD plaintext may still fit: ask the HSM
            case Output::kReady:
                break;
        }
    }
    const SecureBytes& result = op.Run();
    switch (PrepareOutput(out, out_len, result.size())) {
        case Output::kQuery:
            return CKR_OK;
        case Output::kTooSmall:
            return CKR_BUFFER_TOO_SMALL;
        case Output::kReady:
            break;
    }
    WriteOutput(out, out_len, result);
    slot.reset();
    return CKR_OK;
}

CK_RV SinglePart(CK_SESSION_HANDLE h, bool encrypt, CK_BYTE_PTR data, CK_ULONG len, CK_BYTE_PTR out,
                 CK_ULONG_PTR out_len) {
    auto call = EnterSession(h);
    auto& slot = Slot(*call.session, encrypt);
    return RunOperation(slot, [&](AesOperation& op) -> CK_RV {
        if (op.multipart())
            Fail(CKR_OPERATION_ACTIVE,
                 "a multi-part operation ends with C_EncryptFinal/C_DecryptFinal");
        op.SetInput(InputBytes(data, len));
        return Complete(slot, out, out_len);
    });
}

CK_RV Update(CK_SESSION_HANDLE h, bool encrypt, CK_BYTE_PTR data, CK_ULONG len,
             CK_ULONG_PTR out_len) {
    auto call = EnterSession(h);
    return RunOperation(Slot(*call.session, encrypt), [&](AesOperation& op) -> CK_RV {
        if (out_len == nullptr)
            Fail(CKR_ARGUMENTS_BAD, "no output length pointer");
        if (op.has_result())
            Fail(CKR_OPERATION_ACTIVE, "C_Encrypt/C_Decrypt is waiting for a larger buffer");
        op.Append(InputBytes(data, len));
        *out_len = 0;  // buffered: the output comes at Final
        return CKR_OK;
    });
}

CK_RV Final(CK_SESSION_HANDLE h, bool encrypt, CK_BYTE_PTR out, CK_ULONG_PTR out_len) {
    auto call = EnterSession(h);
    auto& slot = Slot(*call.session, encrypt);
    return RunOperation(slot, [&](AesOperation&) { return Complete(slot, out, out_len); });
}

// Where each direction goes when no AES operation is involved: the RSA code in bridge.h, whose
// multi-part calls answer for both Update and Final.
struct RsaCipher {
    bool encrypt;
    CK_RV (*init)(CK_SESSION_HANDLE, CK_MECHANISM_PTR, CK_OBJECT_HANDLE);
    CK_RV (*single_part)(CK_SESSION_HANDLE, CK_BYTE_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG_PTR);
    CK_RV (*multi_part)(CK_SESSION_HANDLE);
};
constexpr RsaCipher kRsaCiphers[] = {
    {true, EncryptInit, Encrypt, EncryptUpdate},
    {false, DecryptInit, Decrypt, DecryptUpdate},
};
static_assert(static_cast<int>(Direction::kEncrypt) == 0 &&
              static_cast<int>(Direction::kDecrypt) == 1);

const RsaCipher& RsaCipherFor(Direction d) {
    return kRsaCiphers[static_cast<int>(d)];
}

std::span<const CK_ATTRIBUTE> TemplateOf(CK_ATTRIBUTE_PTR tmpl, CK_ULONG count) {
    if (tmpl == nullptr && count != 0)
        Fail(CKR_ARGUMENTS_BAD, "template pointer is NULL");
    return {tmpl, tmpl == nullptr ? 0 : count};
}

}  // namespace

CK_RV CipherInit(Direction d, CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE key) {
    const RsaCipher& rsa = RsaCipherFor(d);
    if (IsAes(m))
        return Init(h, m, key, rsa.encrypt);
    if (AesActive(h, rsa.encrypt))
        Fail(CKR_OPERATION_ACTIVE);
    return rsa.init(h, m, key);
}

CK_RV CipherSinglePart(Direction d, CK_SESSION_HANDLE h, CK_BYTE_PTR data, CK_ULONG len,
                       CK_BYTE_PTR out, CK_ULONG_PTR out_len) {
    const RsaCipher& rsa = RsaCipherFor(d);
    if (!AesActive(h, rsa.encrypt))
        return rsa.single_part(h, data, len, out, out_len);
    return SinglePart(h, rsa.encrypt, data, len, out, out_len);
}

CK_RV CipherUpdate(Direction d, CK_SESSION_HANDLE h, CK_BYTE_PTR data, CK_ULONG len, CK_BYTE_PTR,
                   CK_ULONG_PTR out_len) {
    const RsaCipher& rsa = RsaCipherFor(d);
    if (!AesActive(h, rsa.encrypt))
        return rsa.multi_part(h);
    return Update(h, rsa.encrypt, data, len, out_len);
}

CK_RV CipherFinal(Direction d, CK_SESSION_HANDLE h, CK_BYTE_PTR out, CK_ULONG_PTR out_len) {
    const RsaCipher& rsa = RsaCipherFor(d);
    if (!AesActive(h, rsa.encrypt))
        return rsa.multi_part(h);
    return Final(h, rsa.encrypt, out, out_len);
}

CK_RV KeyWrap(CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE wrapping_key,
              CK_OBJECT_HANDLE key, CK_BYTE_PTR out, CK_ULONG_PTR out_len) {
    if (!IsAes(m))
        return WrapKey(h, m, wrapping_key, key, out, out_len);
    auto call = EnterSession(h);
    Token& token = call.token();
    MechanismFor(token, m, CKF_WRAP);
    AesParamsFor(*m, true);
    ObjectPtr wrapping = AesKeyFor(token, wrapping_key, CKA_WRAP, CKR_WRAPPING_KEY_HANDLE_INVALID,
                                   CKR_WRAPPING_KEY_TYPE_INCONSISTENT);
    ObjectPtr target = token.TryGetObject(key);
    if (target == nullptr)
        Fail(CKR_KEY_HANDLE_INVALID);
    const SecureBytes& secret = WrappableSecret(*target);
    if (secret.size() < 16 || secret.size() % 8 != 0) {
        Fail(CKR_KEY_SIZE_RANGE,
             "AES key wrap (RFC 3394) wraps keys of a multiple of 8 bytes, "
             "at least 16; this key has " +
                 std::to_string(secret.size()));
    }
    if (auto rv = OutputNotReady(out, out_len, secret.size() + 8))
        return *rv;
    WriteOutput(out, out_len, ValueOrThrow(wrapping->aes_key->Wrap(secret), RemoteOp::kEncrypt));
    return CKR_OK;
}

CK_RV KeyUnwrap(CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE unwrapping_key,
                CK_BYTE_PTR wrapped, CK_ULONG wrapped_len, CK_ATTRIBUTE_PTR tmpl, CK_ULONG count,
                CK_OBJECT_HANDLE_PTR out) {
    if (!IsAes(m))
        return UnwrapKey(h, m, unwrapping_key, wrapped, wrapped_len, tmpl, count, out);
    auto call = EnterSession(h);
    Token& token = call.token();
    MechanismFor(token, m, CKF_UNWRAP);
    AesParamsFor(*m, false);
    ObjectPtr unwrapping =
        AesKeyFor(token, unwrapping_key, CKA_UNWRAP, CKR_UNWRAPPING_KEY_HANDLE_INVALID,
                  CKR_UNWRAPPING_KEY_TYPE_INCONSISTENT);
    if (out == nullptr)
        Fail(CKR_ARGUMENTS_BAD);
    auto t = TemplateOf(tmpl, count);
    auto in = InputBytes(wrapped, wrapped_len);
    if (in.size() < 24 || in.size() % 8 != 0) {
        Fail(CKR_WRAPPED_KEY_LEN_RANGE,
             "an AES-wrapped key is a multiple of 8 bytes, at least "
             "24; got " +
                 std::to_string(in.size()));
    }
    SecureBytes value = ValueOrThrow(unwrapping->aes_key->Unwrap(in), RemoteOp::kUnwrap);
    *out = token.AddSessionObject(BuildSecretKeyObject(t, std::move(value), h));
    return CKR_OK;
}

CK_RV GenerateKey(CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_ATTRIBUTE_PTR tmpl, CK_ULONG count,
                  CK_OBJECT_HANDLE_PTR out) {
    auto call = EnterSession(h);
    Token& token = call.token();
    if (!token.vault().allow_create) {
        Fail(CKR_ACTION_PROHIBITED, "vault " + token.vault().url +
                                        ": creating keys is not allowed; set "
                                        "\"allow_create\": true on this vault in the config");
    }
    MechanismFor(token, m, CKF_GENERATE);
    RequireNoParams(*m);
    if (out == nullptr)
        Fail(CKR_ARGUMENTS_BAD);
    if (!call.session->read_write())
        Fail(CKR_SESSION_READ_ONLY);
    AesKeyRequest req = AesKeyRequestFor(TemplateOf(tmpl, count));
    Runtime& runtime = token.runtime();
    auto client = ValueOrThrow(runtime.Vault(token.vault().url), RemoteOp::kCreate);
    keyvault::KeyBundle bundle =
        ValueOrThrow(client->CreateKey(req.name, req.params), RemoteOp::kCreate);
    runtime.RememberAesKeySize(bundle.key.kid, req.params.key_size);
    keys::KeyPolicy policy{.allow_software_keys = token.vault().allow_software_keys};
    auto key =
        ValueOrThrow(keys::AesKey::Create(client, std::move(bundle), req.params.key_size, policy),
                     RemoteOp::kCreate);
    *out = token.Publish(FoundKey{nullptr, true, key}).private_key;
    return CKR_OK;
}

CK_RV Random(CK_SESSION_HANDLE h, CK_BYTE_PTR out, CK_ULONG len) {
    auto call = EnterSession(h);
    Token& token = call.token();
    if (!token.caps().managed_hsm) {
        call.lock.unlock();
        return GenerateRandom(h, out, len);
    }
    if (out == nullptr && len != 0)
        Fail(CKR_ARGUMENTS_BAD);
    auto client = ValueOrThrow(token.runtime().Vault(token.vault().url), RemoteOp::kDiscover);
    constexpr CK_ULONG kMaxPerRequest = 128;  // the service's limit for POST /rng
    for (CK_ULONG done = 0; done < len;) {
        CK_ULONG n = std::min(kMaxPerRequest, len - done);
        SecureBytes bytes =
            ValueOrThrow(client->GetRandomBytes(static_cast<int>(n)), RemoteOp::kDiscover);
        std::memcpy(out + done, bytes.data(), n);
        done += n;
    }
    return CKR_OK;
}

}  // namespace azkv::p11::bridge
