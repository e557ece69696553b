#include "persistence.h"

#include <cstdio>
#include <filesystem>

#include "fsutil.h"
#include "jwk.h"
#include "log.h"

namespace azkv::emu {
namespace {

const char* family_name(KeyFamily f) {
    return f == KeyFamily::Rsa ? "RSA" : f == KeyFamily::Ec ? "EC" : "oct";
}

KeyFamily family_from(const std::string& s) {
    return s == "RSA" ? KeyFamily::Rsa : s == "EC" ? KeyFamily::Ec : KeyFamily::Oct;
}

nlohmann::json version_to_json(const KeyVersion& v) {
    nlohmann::json j = {{"version", v.version},
                        {"kty", v.kty},
                        {"key_ops", v.key_ops},
                        {"enabled", v.enabled},
                        {"created", v.created},
                        {"updated", v.updated},
                        {"exportable", v.exportable},
                        {"managed", v.managed},
                        {"tags", v.tags},
                        {"release_policy", v.release_policy},
                        {"family", family_name(v.material->family)},
                        {"private", material_to_private(*v.material)}};
    if (v.nbf)
        j["nbf"] = *v.nbf;
    if (v.exp)
        j["exp"] = *v.exp;
    return j;
}

KeyVersionPtr version_from_json(const nlohmann::json& j) {
    auto v = std::make_shared<KeyVersion>();
    v->version = j.at("version");
    v->kty = j.at("kty");
    v->key_ops = j.at("key_ops").get<std::vector<std::string>>();
    v->enabled = j.at("enabled");
    v->created = j.at("created");
    v->updated = j.at("updated");
    v->exportable = j.value("exportable", false);
    v->managed = j.value("managed", false);
    v->tags = j.value("tags", nlohmann::json::object());
    v->release_policy = j.value("release_policy", nlohmann::json());
    if (j.contains("nbf"))
        v->nbf = j["nbf"].get<int64_t>();
    if (j.contains("exp"))
        v->exp = j["exp"].get<int64_t>();
    v->material = std::make_shared<KeyMaterial>(
        material_from_private(family_from(j.at("family")), j.at("private")));
    return v;
}

}  // namespace

nlohmann::json record_to_json(const KeyRecord& r) {
    nlohmann::json versions = nlohmann::json::array();
    for (auto& v : r.versions)
        versions.push_back(version_to_json(*v));
    return {{"name", r.name},
            {"deleted", r.deleted},
            {"deleted_date", r.deleted_date},
            {"scheduled_purge_date", r.scheduled_purge_date},
            {"versions", versions}};
}

KeyRecord record_from_json(const nlohmann::json& j) {
    KeyRecord r;
    r.name = j.at("name");
    r.deleted = j.value("deleted", false);
    r.deleted_date = j.value("deleted_date", int64_t{0});
    r.scheduled_purge_date = j.value("scheduled_purge_date", int64_t{0});
    for (auto& v : j.at("versions"))
        r.versions.push_back(version_from_json(v));
    return r;
}

void save_record(const std::string& dir, const std::string& lname, const KeyRecord& r) {
    write_file_atomic(dir + "/" + lname + ".json", record_to_json(r).dump());
}

void remove_record(const std::string& dir, const std::string& lname) {
    std::remove((dir + "/" + lname + ".json").c_str());
}

std::vector<KeyRecord> load_records(const std::string& dir) {
    std::vector<KeyRecord> out;
    std::error_code ec;
    for (auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        if (entry.path().extension() != ".json")
            continue;
        try {
            auto text = read_file(entry.path().string());
            out.push_back(record_from_json(nlohmann::json::parse(text.value_or(""))));
        } catch (const std::exception& e) {
            // One corrupt file must not take the other keys down with it.
            log_line(LogLevel::Error, "skipping " + entry.path().string() + ": " + e.what());
        }
    }
    return out;
}

}  // namespace azkv::emu
