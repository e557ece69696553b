#include "key_store.h"

#include <mutex>

#include "errors.h"
#include "fsutil.h"
#include "ids.h"
#include "persistence.h"

namespace azkv::emu {

void key_not_found(const std::string& name, bool deleted) {
    if (deleted)
        throw ApiError(404, "KeyNotFound", "Deleted Key not found: " + name);
    throw ApiError(404, "KeyNotFound",
                   "A key with (name/id) " + name +
                       " was not found in this key vault. If you recently deleted this key you may "
                       "be able to recover it using the correct recovery command.");
}

KeyStore::KeyStore(std::string dir, int recoverable_days)
    : dir_(std::move(dir)), recoverable_days_(recoverable_days) {}

void KeyStore::load() {
    if (dir_.empty())
        return;
    make_dirs(dir_);
    std::unique_lock lk(mu_);
    for (auto& r : load_records(dir_)) {
        std::string lname = to_lower(r.name);
        keys_[lname] = std::move(r);
    }
}

void KeyStore::save(const std::string& lname, const KeyRecord& r) const {
    if (!dir_.empty())
        save_record(dir_, lname, r);
}

const KeyRecord& KeyStore::active(const std::string& lname) const {
    auto it = keys_.find(lname);
    if (it == keys_.end() || it->second.deleted || it->second.versions.empty())
        key_not_found(lname);
    return it->second;
}

KeyRecord& KeyStore::deleted(const std::string& lname) {
    auto it = keys_.find(lname);
    if (it == keys_.end() || !it->second.deleted)
        key_not_found(lname, true);
    return it->second;
}

KeyVersionPtr KeyStore::add_version(const std::string& name, KeyVersion v,
                                    std::string* display_name) {
    std::string lname = to_lower(name);
    std::unique_lock lk(mu_);
    auto& r = keys_[lname];
    if (r.deleted)
        throw ApiError(
            409, "Conflict",
            "Key " + name +
                " is currently in a deleted but recoverable state, and its name cannot be "
                "reused; in this state, the key can only be recovered or purged.",
            "ObjectIsDeletedButRecoverable");
    if (r.name.empty())
        r.name = name;
    auto ptr = std::make_shared<const KeyVersion>(std::move(v));
    r.versions.push_back(ptr);
    save(lname, r);
    if (display_name)
        *display_name = r.name;
    return ptr;
}

KeyVersionPtr KeyStore::get(const std::string& name, const std::string& version,
                            std::string* display_name) const {
    std::string lname = to_lower(name);
    std::shared_lock lk(mu_);
    const KeyRecord& r = active(lname);
    if (display_name)
        *display_name = r.name;
    if (version.empty())
        return r.versions.back();
    std::string lv = to_lower(version);
    for (auto& v : r.versions)
        if (v->version == lv)
            return v;
    key_not_found(name + "/" + version);
}

KeyVersionPtr KeyStore::update(const std::string& name, const std::string& version,
                               const std::function<void(KeyVersion&)>& mutate,
                               std::string* display_name) {
    std::string lname = to_lower(name);
    std::unique_lock lk(mu_);
    auto& r = const_cast<KeyRecord&>(active(lname));
    std::string lv = to_lower(version);
    for (auto& slot : r.versions) {
        if (!lv.empty() && slot->version != lv)
            continue;
        if (lv.empty() && slot != r.versions.back())
            continue;
        auto copy = std::make_shared<KeyVersion>(*slot);
        mutate(*copy);  // may throw: nothing has changed yet
        copy->updated = unix_now();
        slot = copy;
        save(lname, r);
        if (display_name)
            *display_name = r.name;
        return slot;
    }
    key_not_found(name + "/" + version);
}

std::vector<std::pair<std::string, KeyVersionPtr>> KeyStore::list_latest() const {
    std::shared_lock lk(mu_);
    std::vector<std::pair<std::string, KeyVersionPtr>> out;
    for (auto& [lname, r] : keys_)
        if (!r.deleted && !r.versions.empty())
            out.emplace_back(r.name, r.versions.back());
    return out;
}

KeyRecord KeyStore::record(const std::string& name) const {
    std::shared_lock lk(mu_);
    return active(to_lower(name));
}

KeyRecord KeyStore::soft_delete(const std::string& name) {
    std::string lname = to_lower(name);
    std::unique_lock lk(mu_);
    auto& r = const_cast<KeyRecord&>(active(lname));
    r.deleted = true;
    r.deleted_date = unix_now();
    r.scheduled_purge_date = r.deleted_date + int64_t{recoverable_days_} * 86400;
    save(lname, r);
    return r;
}

KeyRecord KeyStore::get_deleted(const std::string& name) const {
    std::shared_lock lk(mu_);
    auto it = keys_.find(to_lower(name));
    if (it == keys_.end() || !it->second.deleted)
        key_not_found(name, true);
    return it->second;
}

std::vector<KeyRecord> KeyStore::list_deleted() const {
    std::shared_lock lk(mu_);
    std::vector<KeyRecord> out;
    for (auto& [lname, r] : keys_)
        if (r.deleted)
            out.push_back(r);
    return out;
}

void KeyStore::purge(const std::string& name) {
    std::string lname = to_lower(name);
    std::unique_lock lk(mu_);
    deleted(lname);
    keys_.erase(lname);
    if (!dir_.empty())
        remove_record(dir_, lname);
}

KeyRecord KeyStore::recover(const std::string& name) {
    std::string lname = to_lower(name);
    std::unique_lock lk(mu_);
    auto& r = deleted(lname);
    r.deleted = false;
    r.deleted_date = r.scheduled_purge_date = 0;
    save(lname, r);
    return r;
}

}  // namespace azkv::emu
