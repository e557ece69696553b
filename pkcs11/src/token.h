#pragma once
// A token: one configured vault or Managed HSM, its objects and its login state.
// Nothing here blocks on the network except object discovery (Find), which runs lazily and
// is cached for cache.key_ttl_s.

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "azkv/runtime.h"
#include "key_discovery.h"
#include "key_objects.h"
#include "locking.h"
#include "mechanism_table.h"
#include "object_store.h"
#include "token_certificates.h"

namespace azkv::p11 {

class Token {
public:
    Token(CK_SLOT_ID slot_id, const VaultConfig& vault, std::shared_ptr<Runtime> runtime,
          const AppLocking& locking, std::atomic<CK_ULONG>* handle_counter);

    CK_SLOT_ID slot_id() const { return slot_id_; }
    const VaultConfig& vault() const { return vault_; }
    const TokenCapabilities& caps() const { return caps_; }
    const std::string& label() const { return label_; }
    const std::string& serial() const { return serial_; }
    Runtime& runtime() const { return *runtime_; }

    // C_FindObjectsInit: resolves what the template asks for (one GET for a label or ID when
    // possible), then matches every known object. Sorted by handle.
    std::vector<CK_OBJECT_HANDLE> Find(std::span<const CK_ATTRIBUTE> tmpl);
    // Throws CKR_OBJECT_HANDLE_INVALID for an unknown handle.
    ObjectPtr GetObject(CK_OBJECT_HANDLE handle) const;
    ObjectPtr TryGetObject(CK_OBJECT_HANDLE handle) const { return store_.Get(handle); }

    // Objects for a key version this token just learned about (e.g. created). For an AES key
    // the secret key's handle is `private_key`.
    struct PublishedHandles {
        CK_OBJECT_HANDLE private_key = 0, public_key = 0;
    };
    PublishedHandles Publish(const FoundKey& found);
    CK_OBJECT_HANDLE AddSessionObject(std::shared_ptr<Object> object);
    void RemoveObject(const Object& object);
    void RemoveSessionObjects(CK_SESSION_HANDLE session) { store_.RemoveSessionObjects(session); }

    bool user_logged_in() const { return logged_in_.load(); }
    void set_user_logged_in(bool v) { logged_in_.store(v); }

private:
    void EnumerateIfStale();
    // The objects of a key version: private + public for a key pair, one secret key for AES.
    std::vector<std::shared_ptr<Object>> ObjectsFor(
        const std::shared_ptr<const keys::RemoteKey>& key,
        const std::shared_ptr<const keys::AesKey>& aes, const std::string& label) const;
    void ResolveId(const std::vector<uint8_t>& id);

    CK_SLOT_ID slot_id_;
    VaultConfig vault_;
    TokenCapabilities caps_;
    std::string label_, serial_;
    std::shared_ptr<Runtime> runtime_;
    KeyDiscovery discovery_;
    ObjectStore store_;
    TokenCertificates certificates_;

    ModuleMutex publish_mu_;                      // orders label decisions in Publish
    std::map<std::string, std::string> current_;  // key name -> current version
    ModuleMutex refresh_mu_;                      // one enumeration at a time (per token)
    std::chrono::steady_clock::time_point enumerated_at_{};
    bool enumerated_ = false;
    std::atomic<bool> logged_in_{false};
};

}  // namespace azkv::p11
