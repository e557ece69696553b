#include "rbac.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "fsutil.h"
#include "identities.h"
#include "ids.h"

namespace azkv::emu {
namespace {

const char* kActions[] = {"get",
                          "list",
                          "create",
                          "import",
                          "update",
                          "delete",
                          "purge",
                          "recover",
                          "sign",
                          "verify",
                          "encrypt",
                          "decrypt",
                          "wrapKey",
                          "unwrapKey",
                          "rng",
                          "certificates/get",
                          "certificates/list",
                          "certificates/create",
                          "certificates/import",
                          "secrets/get"};

bool known_action(const std::string& a) {
    if (a == "*")
        return true;
    for (auto* k : kActions)
        if (iequals(a, k))
            return true;
    return false;
}

bool identity_matches(const std::string& pattern, const std::string& oid) {
    if (pattern == "*" || iequals(pattern, oid))
        return true;
    const Identity* id = find_identity(pattern);
    return id && iequals(id->object_id, oid);
}

}  // namespace

void Rbac::load(const std::string& path) {
    auto text = read_file(path);
    if (!text)
        throw std::runtime_error("cannot read RBAC file " + path);
    auto j = nlohmann::json::parse(*text, nullptr, false);
    if (!j.is_object() || !j.contains("assignments") || !j["assignments"].is_array())
        throw std::runtime_error("RBAC file needs {\"assignments\":[...]}");
    for (auto& a : j["assignments"]) {
        RbacAssignment r;
        if (!a.is_object() || !a.contains("identity") || !a["identity"].is_string())
            throw std::runtime_error("RBAC assignment needs a string \"identity\"");
        r.identity = a["identity"];
        r.vault = a.value("vault", "*");
        r.key = a.value("key", "*");
        if (!a.contains("actions") || !a["actions"].is_array())
            throw std::runtime_error("RBAC assignment needs an \"actions\" array");
        for (auto& act : a["actions"]) {
            if (!act.is_string() || !known_action(act.get<std::string>()))
                throw std::runtime_error("RBAC: unknown action " + act.dump());
            r.actions.push_back(act);
        }
        assignments_.push_back(std::move(r));
    }
    enabled_ = true;
}

bool Rbac::allowed(const std::string& oid, const std::string& vault, const std::string& key,
                   const std::string& action) const {
    if (!enabled_)
        return true;
    for (auto& a : assignments_) {
        if (!identity_matches(a.identity, oid))
            continue;
        if (a.vault != "*" && !iequals(a.vault, vault))
            continue;
        if (a.key != "*" && (key.empty() || !iequals(a.key, key)))
            continue;
        for (auto& act : a.actions)
            if (act == "*" || iequals(act, action))
                return true;
    }
    return false;
}

}  // namespace azkv::emu
