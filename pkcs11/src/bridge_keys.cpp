#include "bridge.h"
#include "bridge_util.h"
#include "ckr_mapping.h"
#include "key_generation.h"
#include "mechanism_params.h"
#include "secret_key_object.h"
#include "wrap_unwrap.h"

namespace azkv::p11::bridge {
namespace {

std::span<const CK_ATTRIBUTE> ConstTemplate(CK_ATTRIBUTE_PTR tmpl, CK_ULONG count) {
    if (tmpl == nullptr && count != 0)
        Fail(CKR_ARGUMENTS_BAD);
    return tmpl == nullptr ? std::span<const CK_ATTRIBUTE>()
                           : std::span<const CK_ATTRIBUTE>(tmpl, count);
}

}  // namespace

CK_RV GenerateKeyPair(CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_ATTRIBUTE_PTR pub_tmpl,
                      CK_ULONG pub_count, CK_ATTRIBUTE_PTR priv_tmpl, CK_ULONG priv_count,
                      CK_OBJECT_HANDLE_PTR pub, CK_OBJECT_HANDLE_PTR priv) {
    auto call = EnterSession(h);
    Token& token = call.token();
    if (!token.vault().allow_create) {
        Fail(CKR_ACTION_PROHIBITED, "vault " + token.vault().url +
                                        ": creating keys is not allowed; set "
                                        "\"allow_create\": true on this vault in the config");
    }
    const MechanismSpec& spec = MechanismFor(token, m, CKF_GENERATE_KEY_PAIR);
    RequireNoParams(*m);
    if (pub == nullptr || priv == nullptr)
        Fail(CKR_ARGUMENTS_BAD);
    if (!call.session->read_write())
        Fail(CKR_SESSION_READ_ONLY);
    KeyPairRequest req = KeyPairRequestFor(spec.family, ConstTemplate(pub_tmpl, pub_count),
                                           ConstTemplate(priv_tmpl, priv_count));
    auto client = ValueOrThrow(token.runtime().Vault(token.vault().url), RemoteOp::kCreate);
    keyvault::KeyBundle bundle =
        ValueOrThrow(client->CreateKey(req.name, req.params), RemoteOp::kCreate);
    keys::KeyPolicy policy{.allow_software_keys = token.vault().allow_software_keys};
    auto key =
        ValueOrThrow(keys::RemoteKey::Create(client, std::move(bundle), policy), RemoteOp::kCreate);
    auto handles = token.Publish(FoundKey{key, true});
    *pub = handles.public_key;
    *priv = handles.private_key;
    return CKR_OK;
}

CK_RV WrapKey(CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE wrapping_key,
              CK_OBJECT_HANDLE key, CK_BYTE_PTR out, CK_ULONG_PTR out_len) {
    auto call = EnterSession(h);
    const MechanismSpec& spec = MechanismFor(call.token(), m, CKF_WRAP);
    ObjectPtr wrapping = KeyFor(call.token(), wrapping_key, CKO_PUBLIC_KEY, CKA_WRAP, spec,
                                CKR_WRAPPING_KEY_HANDLE_INVALID);
    ObjectPtr target = call.token().TryGetObject(key);
    if (target == nullptr)
        Fail(CKR_KEY_HANDLE_INVALID);
    const SecureBytes& secret = WrappableSecret(*target);
    EncryptOperation op(wrapping->key, CipherScheme(*m));
    if (auto rv = OutputNotReady(out, out_len, op.CiphertextLength()))
        return *rv;
    WriteOutput(out, out_len, op.Encrypt(secret));
    return CKR_OK;
}

CK_RV UnwrapKey(CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE unwrapping_key,
                CK_BYTE_PTR wrapped, CK_ULONG wrapped_len, CK_ATTRIBUTE_PTR tmpl, CK_ULONG count,
                CK_OBJECT_HANDLE_PTR out) {
    auto call = EnterSession(h);
    const MechanismSpec& spec = MechanismFor(call.token(), m, CKF_UNWRAP);
    ObjectPtr unwrapping = KeyFor(call.token(), unwrapping_key, CKO_PRIVATE_KEY, CKA_UNWRAP, spec,
                                  CKR_UNWRAPPING_KEY_HANDLE_INVALID);
    if (out == nullptr)
        Fail(CKR_ARGUMENTS_BAD);
    auto t = ConstTemplate(tmpl, count);
    DecryptOperation op(unwrapping->key, CipherScheme(*m), true);
    SecureBytes value = op.Decrypt(InputBytes(wrapped, wrapped_len));
    *out = call.token().AddSessionObject(BuildSecretKeyObject(t, std::move(value), h));
    return CKR_OK;
}

}  // namespace azkv::p11::bridge
