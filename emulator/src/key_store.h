// Keys of one vault: every version, attributes, tags, soft-deleted state. Versions are immutable
// snapshots (shared_ptr<const KeyVersion>): crypto runs outside the lock on a snapshot, and an
// update swaps in a modified copy. Every change is written through to the state dir.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "key_material.h"

namespace azkv::emu {

struct KeyVersion {
    std::string version;  // 32 lowercase hex
    std::string kty;      // as reported: RSA, RSA-HSM, EC, EC-HSM, oct, oct-HSM
    std::vector<std::string> key_ops;
    bool enabled = true;
    std::optional<int64_t> nbf, exp;
    int64_t created = 0, updated = 0;
    bool exportable = false;
    bool managed = false;  // owned by a certificate of the same name and version
    nlohmann::json tags = nlohmann::json::object();
    nlohmann::json release_policy;  // null when absent
    std::shared_ptr<const KeyMaterial> material;
};
using KeyVersionPtr = std::shared_ptr<const KeyVersion>;

struct KeyRecord {
    std::string name;                     // spelling of the first create
    std::vector<KeyVersionPtr> versions;  // creation order; back() is the latest
    bool deleted = false;
    int64_t deleted_date = 0, scheduled_purge_date = 0;
};

class KeyStore {
public:
    // dir: where this vault's key files live ("" = memory only).
    KeyStore(std::string dir, int recoverable_days);
    void load();

    // create/import: adds a version. 409 while the name is soft-deleted.
    KeyVersionPtr add_version(const std::string& name, KeyVersion v, std::string* display_name);
    // Active key; empty version = latest. 404 KeyNotFound otherwise.
    KeyVersionPtr get(const std::string& name, const std::string& version,
                      std::string* display_name) const;
    KeyVersionPtr update(const std::string& name, const std::string& version,
                         const std::function<void(KeyVersion&)>& mutate, std::string* display_name);
    std::vector<std::pair<std::string, KeyVersionPtr>> list_latest() const;  // sorted by name
    KeyRecord record(const std::string& name) const;  // active key, 404 otherwise
    KeyRecord soft_delete(const std::string& name);
    KeyRecord get_deleted(const std::string& name) const;
    std::vector<KeyRecord> list_deleted() const;
    void purge(const std::string& name);
    KeyRecord recover(const std::string& name);
    int recoverable_days() const { return recoverable_days_; }

private:
    const KeyRecord& active(const std::string& lname) const;
    KeyRecord& deleted(const std::string& lname);
    void save(const std::string& lname, const KeyRecord& r) const;

    std::string dir_;
    int recoverable_days_;
    mutable std::shared_mutex mu_;
    std::map<std::string, KeyRecord> keys_;  // by lowercase name: identifiers are case-insensitive
};

[[noreturn]] void key_not_found(const std::string& name, bool deleted = false);

}  // namespace azkv::emu
