#include "key_json.h"

namespace azkv::emu {
namespace {

nlohmann::json attributes(const VaultContext& v, const KeyVersion& kv) {
    nlohmann::json a = {{"enabled", kv.enabled}};
    if (kv.nbf)
        a["nbf"] = *kv.nbf;
    if (kv.exp)
        a["exp"] = *kv.exp;
    a["created"] = kv.created;
    a["updated"] = kv.updated;
    a["recoveryLevel"] = "CustomizedRecoverable+Purgeable";
    a["recoverableDays"] = v.keys->recoverable_days();
    if (v.mhsm())
        a["exportable"] = kv.exportable;
    return a;
}

void add_deleted_fields(nlohmann::json& j, const VaultContext& v, const KeyRecord& r) {
    j["recoveryId"] = v.origin + "/deletedkeys/" + r.name;
    j["deletedDate"] = r.deleted_date;
    j["scheduledPurgeDate"] = r.scheduled_purge_date;
}

}  // namespace

std::string key_id(const VaultContext& v, const std::string& name, const std::string& version) {
    return v.origin + "/keys/" + name + (version.empty() ? "" : "/" + version);
}

nlohmann::json key_bundle(const VaultContext& v, const std::string& name, const KeyVersion& kv) {
    nlohmann::json key = {
        {"kid", key_id(v, name, kv.version)}, {"kty", kv.kty}, {"key_ops", kv.key_ops}};
    key.update(kv.material->public_fields);
    nlohmann::json b = {{"key", key}, {"attributes", attributes(v, kv)}};
    if (!kv.tags.empty())
        b["tags"] = kv.tags;
    if (!kv.release_policy.is_null())
        b["release_policy"] = kv.release_policy;
    if (kv.managed)
        b["managed"] = true;
    return b;
}

nlohmann::json key_item(const VaultContext& v, const std::string& name, const KeyVersion& kv,
                        bool versioned) {
    nlohmann::json item = {{"kid", key_id(v, name, versioned ? kv.version : "")},
                           {"attributes", attributes(v, kv)}};
    if (!kv.tags.empty())
        item["tags"] = kv.tags;
    if (kv.managed)
        item["managed"] = true;
    return item;
}

nlohmann::json deleted_bundle(const VaultContext& v, const KeyRecord& r) {
    nlohmann::json j = key_bundle(v, r.name, *r.versions.back());
    add_deleted_fields(j, v, r);
    return j;
}

nlohmann::json deleted_item(const VaultContext& v, const KeyRecord& r) {
    nlohmann::json j = key_item(v, r.name, *r.versions.back(), false);
    add_deleted_fields(j, v, r);
    return j;
}

}  // namespace azkv::emu
