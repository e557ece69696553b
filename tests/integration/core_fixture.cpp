#include "core_fixture.h"

#include <atomic>

namespace azkv::itest {

void CoreSuite::SetUpTestSuite() {
    emu_ = std::make_unique<EmulatorProcess>(EmulatorOptions{.vaults = {"demo:vault", "hsm:mhsm"}});
}

void CoreSuite::TearDownTestSuite() {
    emu_.reset();
}

Config CoreSuite::MakeConfig(long retry_budget_ms, int max_connections) {
    Config cfg;
    cfg.identity.type = IdentityType::kImds;
    cfg.identity.endpoint = emu_->Info().imds_endpoint;
    cfg.http.ca_file = emu_->Info().ca_file;
    cfg.http.retry_budget_ms = retry_budget_ms;
    cfg.http.max_connections = max_connections;
    cfg.http.timeout_ms = 5000;
    return cfg;
}

std::shared_ptr<Runtime> CoreSuite::MakeRuntime(const Config& cfg) {
    auto rt = Runtime::Create(cfg);
    EXPECT_TRUE(rt.ok()) << rt.status().ToString();
    return *rt;
}

std::string CoreSuite::VaultUrl(const std::string& name) {
    return emu_->Vault(name).url;
}

std::string CoreSuite::UniqueName(const std::string& prefix) {
    static std::atomic<int> n{0};
    return prefix + "-" + std::to_string(getpid()) + "-" + std::to_string(n++);
}

}  // namespace azkv::itest
