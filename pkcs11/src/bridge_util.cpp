#include "bridge_util.h"

#include <cstring>

namespace azkv::p11 {

SessionCall EnterSession(CK_SESSION_HANDLE handle) {
    SessionCall call;
    call.module = CurrentModule();
    call.session = call.module->sessions.Get(handle);
    call.lock = std::unique_lock<ModuleMutex>(call.session->mu);
    return call;
}

const MechanismSpec& MechanismFor(const Token& token, CK_MECHANISM_PTR mechanism, CK_FLAGS flag) {
    if (mechanism == nullptr)
        Fail(CKR_ARGUMENTS_BAD, "no mechanism given");
    const MechanismSpec* spec = TokenMechanism(token.caps(), mechanism->mechanism);
    if (spec == nullptr || (spec->flags & flag) == 0) {
        Fail(CKR_MECHANISM_INVALID, "token " + token.label() + " does not offer mechanism 0x" +
                                        std::to_string(mechanism->mechanism) +
                                        " for this operation (see C_GetMechanismList)");
    }
    return *spec;
}

ObjectPtr KeyFor(Token& token, CK_OBJECT_HANDLE handle, CK_OBJECT_CLASS object_class,
                 CK_ATTRIBUTE_TYPE permission, const MechanismSpec& spec, CK_RV invalid_handle_rv) {
    ObjectPtr o = token.TryGetObject(handle);
    if (o == nullptr || (!o->key && !o->aes_key))
        Fail(invalid_handle_rv);
    if (o->aes_key)
        Fail(CKR_KEY_TYPE_INCONSISTENT, "an AES key does not serve RSA or EC mechanisms");
    if (o->object_class != object_class || !o->attributes.BoolOr(permission, false)) {
        Fail(CKR_KEY_FUNCTION_NOT_PERMITTED,
             "key " + o->name + "/" + o->version +
                 " does not permit this operation (its key_ops in the vault, or the object "
                 "class: sign/decrypt/unwrap use the private key, verify/encrypt/wrap the "
                 "public key)");
    }
    bool rsa = o->key->kind() == keys::KeyKind::kRsa;
    if ((spec.family == KeyFamily::kRsa) != rsa)
        Fail(CKR_KEY_TYPE_INCONSISTENT, "the mechanism does not fit the key's type");
    return o;
}

Output PrepareOutput(CK_BYTE_PTR out, CK_ULONG_PTR out_len, size_t needed) {
    if (out_len == nullptr)
        Fail(CKR_ARGUMENTS_BAD, "no output length pointer");
    if (out == nullptr) {
        *out_len = needed;
        return Output::kQuery;
    }
    if (*out_len < needed) {
        *out_len = needed;
        return Output::kTooSmall;
    }
    return Output::kReady;
}

std::optional<CK_RV> OutputNotReady(CK_BYTE_PTR out, CK_ULONG_PTR out_len, size_t needed) {
    switch (PrepareOutput(out, out_len, needed)) {
        case Output::kQuery:
            return CKR_OK;
        case Output::kTooSmall:
            return CKR_BUFFER_TOO_SMALL;
        case Output::kReady:
            break;
    }
    return std::nullopt;
}

void WriteOutput(CK_BYTE_PTR out, CK_ULONG_PTR out_len, std::span<const uint8_t> bytes) {
    if (!bytes.empty())
        std::memcpy(out, bytes.data(), bytes.size());
    *out_len = bytes.size();
}

std::span<const uint8_t> InputBytes(CK_BYTE_PTR data, CK_ULONG len) {
    if (data == nullptr && len != 0)
        Fail(CKR_ARGUMENTS_BAD, "input pointer is NULL");
    return data == nullptr ? std::span<const uint8_t>() : std::span<const uint8_t>(data, len);
}

}  // namespace azkv::p11
