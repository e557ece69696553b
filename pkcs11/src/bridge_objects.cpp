#include <span>

#include "bridge.h"
#include "bridge_util.h"
#include "ckr_mapping.h"
#include "secret_key_object.h"

namespace azkv::p11::bridge {
namespace {

std::span<CK_ATTRIBUTE> Template(CK_ATTRIBUTE_PTR tmpl, CK_ULONG count) {
    if (tmpl == nullptr && count != 0)
        Fail(CKR_ARGUMENTS_BAD);
    return tmpl == nullptr ? std::span<CK_ATTRIBUTE>() : std::span<CK_ATTRIBUTE>(tmpl, count);
}

}  // namespace

CK_RV FindObjectsInit(CK_SESSION_HANDLE h, CK_ATTRIBUTE_PTR tmpl, CK_ULONG count) {
    auto call = EnterSession(h);
    if (call.session->find)
        Fail(CKR_OPERATION_ACTIVE);
    auto op = std::make_unique<FindOperation>();
    op->handles = call.token().Find(Template(tmpl, count));
    call.session->find = std::move(op);
    return CKR_OK;
}

CK_RV FindObjects(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE_PTR out, CK_ULONG max, CK_ULONG_PTR count) {
    auto call = EnterSession(h);
    if (!call.session->find)
        Fail(CKR_OPERATION_NOT_INITIALIZED);
    if ((out == nullptr && max != 0) || count == nullptr)
        Fail(CKR_ARGUMENTS_BAD);
    FindOperation& op = *call.session->find;
    CK_ULONG n = 0;
    while (n < max && op.next < op.handles.size())
        out[n++] = op.handles[op.next++];
    *count = n;
    return CKR_OK;
}

CK_RV FindObjectsFinal(CK_SESSION_HANDLE h) {
    auto call = EnterSession(h);
    if (!call.session->find)
        Fail(CKR_OPERATION_NOT_INITIALIZED);
    call.session->find.reset();
    return CKR_OK;
}

CK_RV GetAttributeValue(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE o, CK_ATTRIBUTE_PTR tmpl,
                        CK_ULONG count) {
    auto call = EnterSession(h);
    ObjectPtr object = call.token().GetObject(o);
    return object->attributes.Read(Template(tmpl, count));
}

CK_RV SetAttributeValue(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE o, CK_ATTRIBUTE_PTR, CK_ULONG) {
    auto call = EnterSession(h);
    call.token().GetObject(o);
    Fail(CKR_ACTION_PROHIBITED,
         "objects are not modifiable (CKA_MODIFIABLE is false); change a vault key's "
         "attributes in the vault");
}

CK_RV CreateObject(CK_SESSION_HANDLE h, CK_ATTRIBUTE_PTR tmpl, CK_ULONG count,
                   CK_OBJECT_HANDLE_PTR out) {
    auto call = EnterSession(h);
    auto t = Template(tmpl, count);
    if (out == nullptr)
        Fail(CKR_ARGUMENTS_BAD);
    if (TemplateBool(t, CKA_TOKEN).value_or(false)) {
        Fail(CKR_ACTION_PROHIBITED,
             "token " + call.token().label() +
                 ": objects cannot be imported into the vault through PKCS#11; use "
                 "C_GenerateKeyPair (with allow_create) or the azkv CLI");
    }
    auto value = TemplateBytes(t, CKA_VALUE);
    if (!value)
        Fail(CKR_TEMPLATE_INCOMPLETE, "a session secret key needs CKA_VALUE");
    auto object = BuildSecretKeyObject(t, SecureBytes(value->begin(), value->end()), h);
    *out = call.token().AddSessionObject(std::move(object));
    return CKR_OK;
}

CK_RV DestroyObject(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE o) {
    auto call = EnterSession(h);
    ObjectPtr object = call.token().GetObject(o);
    if (!object->is_token_object()) {
        call.token().RemoveObject(*object);
        return CKR_OK;
    }
    const VaultConfig& vault = call.token().vault();
    if (!vault.allow_delete) {
        Fail(CKR_ACTION_PROHIBITED, "vault " + vault.url + " key " + object->name +
                                        ": deleting keys is not allowed; set "
                                        "\"allow_delete\": true on this vault in the config");
    }
    if (!call.session->read_write())
        Fail(CKR_SESSION_READ_ONLY);
    auto client = ValueOrThrow(call.token().runtime().Vault(vault.url), RemoteOp::kDelete);
    Status st = client->DeleteKey(object->name);
    if (!st.ok())
        ThrowStatus(st, RemoteOp::kDelete);
    // Key Vault deletes the whole key (every version): drop all of its objects.
    call.token().RemoveObject(*object);
    return CKR_OK;
}

}  // namespace azkv::p11::bridge
