#include "identities.h"

#include "ids.h"

namespace azkv::emu {
namespace {

const std::string kSub =
    "/subscriptions/00000000-0000-0000-0000-00000000a2c7/resourceGroups/azkv-emulator";

}  // namespace

const std::vector<Identity>& identities() {
    static const std::vector<Identity> ids = {
        {"system", "5b0f1e2a-7c1d-4e55-9a3b-000000000001", "9d4c2b1a-6e5f-4a3b-8c7d-000000000001",
         kSub + "/providers/Microsoft.Compute/virtualMachines/azkv-emulator-vm", true},
        {"uai", "5b0f1e2a-7c1d-4e55-9a3b-000000000002", "9d4c2b1a-6e5f-4a3b-8c7d-000000000002",
         kSub + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai", true},
        {"workload", "5b0f1e2a-7c1d-4e55-9a3b-000000000003", "9d4c2b1a-6e5f-4a3b-8c7d-000000000003",
         "", false},
    };
    return ids;
}

const Identity& system_identity() {
    return identities()[0];
}
const Identity& workload_identity() {
    return identities()[2];
}

const Identity* find_identity(const std::string& value) {
    for (auto& id : identities()) {
        if (iequals(value, id.client_id) || iequals(value, id.object_id) ||
            iequals(value, id.name) || (!id.resource_id.empty() && iequals(value, id.resource_id)))
            return &id;
    }
    return nullptr;
}

}  // namespace azkv::emu
