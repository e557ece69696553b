#pragma once
// An emulator plus a core Runtime configured to reach it through its IMDS endpoint and trust
// its CA, as a user's config would.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "azkv/runtime.h"
#include "emu_test_util.h"

namespace azkv::itest {

using azkv::testing::EmulatorOptions;
using azkv::testing::EmulatorProcess;

// One emulator per suite (vaults "demo": Key Vault, "hsm": Managed HSM).
class CoreSuite : public ::testing::Test {
protected:
    static void SetUpTestSuite();
    static void TearDownTestSuite();
    static EmulatorProcess& emu() { return *emu_; }

    // A config for the emulator: IMDS identity, its CA, the given http settings.
    static Config MakeConfig(long retry_budget_ms = 10000, int max_connections = 16);
    static std::shared_ptr<Runtime> MakeRuntime(const Config& cfg);
    static std::shared_ptr<Runtime> MakeRuntime() { return MakeRuntime(MakeConfig()); }
    static std::string VaultUrl(const std::string& name = "demo");
    static std::string UniqueName(const std::string& prefix);

    static inline std::unique_ptr<EmulatorProcess> emu_;
};

}  // namespace azkv::itest
