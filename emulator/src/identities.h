// Built-in identities. Their ids are fixed so that RBAC files and CI scripts can name them.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace azkv::emu {

inline constexpr const char* kTenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";

struct Identity {
    std::string name;  // "system", "uai", "workload"
    std::string client_id, object_id, resource_id;
    bool managed = true;  // false for the workload app registration (no xms_mirid)
};

const std::vector<Identity>& identities();
const Identity& system_identity();
// Looks a selector value up by client id, object id, resource id (case-insensitive) or name.
const Identity* find_identity(const std::string& value);
const Identity& workload_identity();

}  // namespace azkv::emu
