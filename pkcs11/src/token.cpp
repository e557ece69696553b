#include "token.h"

#include <algorithm>

#include <openssl/evp.h>

#include "aes_key_object.h"
#include "azkv/keyvault/vault_url.h"
#include "p11_error.h"

namespace azkv::p11 {
namespace {

bool IsManagedHsm(const VaultConfig& v) {
    if (!v.type.empty())
        return v.type == "managedhsm";
    auto url = keyvault::VaultUrl::Parse(v.url);
    return url.ok() && url->kind() == keyvault::ServiceKind::kManagedHsm;
}

// Stable across runs and machines: derived from the vault URL only.
std::string SerialFor(const std::string& url) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(url.data(), url.size(), md, &len, EVP_sha256(), nullptr);
    static const char* kHex = "0123456789abcdef";
    std::string out;
    for (int i = 0; i < 8; ++i) {
        out += kHex[md[i] >> 4];
        out += kHex[md[i] & 15];
    }
    return out;
}

std::string StringOf(const std::vector<uint8_t>& v) {
    return std::string(v.begin(), v.end());
}

// CKA_LABEL matches the object's label, or "name/version" of any version (so the current
// version, labelled "name", is also found by its versioned label).
bool LabelMatches(const Object& o, const std::string& label) {
    const auto* own = o.attributes.Find(CKA_LABEL);
    if (own != nullptr && StringOf(*own) == label)
        return true;
    return o.is_token_object() && !o.version.empty() && label == o.name + "/" + o.version;
}

}  // namespace

Token::Token(CK_SLOT_ID slot_id, const VaultConfig& vault, std::shared_ptr<Runtime> runtime,
             const AppLocking& locking, std::atomic<CK_ULONG>* handle_counter)
    : slot_id_(slot_id),
      vault_(vault),
      caps_{IsManagedHsm(vault), vault.allow_create},
      label_(vault.label.empty() ? vault.url : vault.label),
      serial_(SerialFor(vault.url)),
      runtime_(runtime),
      discovery_(runtime, vault),
      store_(locking, handle_counter),
      certificates_(runtime, vault, caps_.managed_hsm, locking, &store_),
      publish_mu_(locking),
      refresh_mu_(locking) {}

ObjectPtr Token::GetObject(CK_OBJECT_HANDLE handle) const {
    ObjectPtr o = store_.Get(handle);
    if (o == nullptr)
        Fail(CKR_OBJECT_HANDLE_INVALID);
    return o;
}

std::vector<std::shared_ptr<Object>> Token::ObjectsFor(
    const std::shared_ptr<const keys::RemoteKey>& key,
    const std::shared_ptr<const keys::AesKey>& aes, const std::string& label) const {
    KeyObjectContext ctx{label, vault_.allow_delete, caps_};
    if (aes)
        return {BuildAesKeyObject(aes, ctx)};
    KeyObjects pair = BuildKeyObjects(key, ctx);
    return {pair.private_key, pair.public_key};
}

Token::PublishedHandles Token::Publish(const FoundKey& found) {
    const std::string& name = found.name();
    const std::string& version = found.version();
    std::lock_guard<ModuleMutex> lock(publish_mu_);
    std::string& current = current_[name];
    if (found.current && current != version) {
        std::string previous = current;
        current = version;
        // The version that was current keeps its handles and becomes "name/version".
        for (const ObjectPtr& o : store_.ByName(name)) {
            bool pair = o->object_class == CKO_PRIVATE_KEY && o->key;
            if (o->version == previous && (pair || o->aes_key)) {
                for (auto& relabelled : ObjectsFor(o->key, o->aes_key, name + "/" + previous))
                    store_.PutTokenObject(relabelled);
            }
        }
    }
    std::string label = current == version ? name : name + "/" + version;
    // Unchanged since the last publication (same cached key, same label): nothing to rebuild.
    // A secret key's handle is returned as `private_key`.
    PublishedHandles handles;
    for (const ObjectPtr& o : store_.ByName(name)) {
        if (o->version != version || o->key != found.key || o->aes_key != found.aes ||
            StringOf(*o->attributes.Find(CKA_LABEL)) != label) {
            continue;
        }
        (o->object_class == CKO_PUBLIC_KEY ? handles.public_key : handles.private_key) = o->handle;
    }
    if (handles.private_key != 0 && (found.aes || handles.public_key != 0))
        return handles;
    for (auto& object : ObjectsFor(found.key, found.aes, label)) {
        bool pub = object->object_class == CKO_PUBLIC_KEY;
        (pub ? handles.public_key : handles.private_key) = store_.PutTokenObject(object);
    }
    return handles;
}

void Token::EnumerateIfStale() {
    std::lock_guard<ModuleMutex> lock(refresh_mu_);
    auto now = std::chrono::steady_clock::now();
    if (enumerated_ &&
        now - enumerated_at_ < std::chrono::seconds(runtime_->config().cache.key_ttl_s))
        return;
    for (const FoundKey& k : discovery_.Enumerate())
        Publish(k);
    enumerated_ = true;
    enumerated_at_ = now;
}

void Token::ResolveId(const std::vector<uint8_t>& id) {
    if (id.size() != 16)
        return;  // not one of ours: a key's CKA_ID is always 16 bytes
    std::string version = VersionIdHex(id);
    auto known = [&] {
        for (const ObjectPtr& o : store_.All()) {
            if (o->version == version)
                return true;
        }
        return false;
    };
    if (known())
        return;
    // Usually the current version of a key: one enumeration finds it. Otherwise (an older
    // version, or an identity that may not list) ask for name/version directly.
    if (vault_.keys.empty()) {
        EnumerateIfStale();
        if (known())
            return;
    }
    if (auto k = discovery_.ByVersion(discovery_.Names(), version))
        Publish(*k);
}

std::vector<CK_OBJECT_HANDLE> Token::Find(std::span<const CK_ATTRIBUTE> tmpl) {
    auto label = TemplateBytes(tmpl, CKA_LABEL);
    auto id = TemplateBytes(tmpl, CKA_ID);
    auto cls = TemplateUlong(tmpl, CKA_CLASS);
    bool wants_keys =
        !cls || *cls == CKO_PRIVATE_KEY || *cls == CKO_PUBLIC_KEY || *cls == CKO_SECRET_KEY;
    if (wants_keys) {
        if (label) {
            if (auto k = discovery_.ByLabel(StringOf(*label)))
                Publish(*k);
        } else if (id) {
            ResolveId(*id);
        } else {
            EnumerateIfStale();
        }
    }
    if (!cls || *cls == CKO_CERTIFICATE) {
        certificates_.Resolve(label ? std::optional<std::string>(StringOf(*label)) : std::nullopt);
    }
    std::vector<CK_ATTRIBUTE> rest;
    for (const CK_ATTRIBUTE& a : tmpl) {
        if (a.type != CKA_LABEL)
            rest.push_back(a);
    }
    std::vector<CK_OBJECT_HANDLE> out;
    for (const ObjectPtr& o : store_.All()) {
        if (o->attributes.Matches(rest) && (!label || LabelMatches(*o, StringOf(*label))))
            out.push_back(o->handle);
    }
    std::sort(out.begin(), out.end());
    return out;
}

CK_OBJECT_HANDLE Token::AddSessionObject(std::shared_ptr<Object> object) {
    return store_.PutSessionObject(std::move(object));
}

void Token::RemoveObject(const Object& object) {
    if (object.is_token_object()) {
        store_.RemoveName(object.name);
        runtime_->ForgetKeys();
        std::lock_guard<ModuleMutex> lock(refresh_mu_);
        enumerated_ = false;
    } else {
        store_.Remove(object.handle);
    }
}

}  // namespace azkv::p11
