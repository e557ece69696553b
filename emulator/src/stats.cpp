#include "stats.h"

namespace azkv::emu {

void Stats::count_vault_connection(const std::string& vault) {
    std::lock_guard lk(mu_);
    tls_connections_++;
    vaults_[vault].tls_connections++;
}

void Stats::count_token_request(const std::string& endpoint) {
    std::lock_guard lk(mu_);
    token_requests_++;
    token_by_endpoint_[endpoint]++;
}

void Stats::count_vault_request(const std::string& vault, const std::string& op, int status) {
    std::lock_guard lk(mu_);
    requests_++;
    auto& v = vaults_[vault];
    v.requests++;
    if (!op.empty()) {
        operations_[op]++;
        v.operations[op]++;
    }
    statuses_[std::to_string(status)]++;
}

void Stats::count_status(int status) {
    std::lock_guard lk(mu_);
    statuses_[std::to_string(status)]++;
}

nlohmann::json Stats::to_json() const {
    std::lock_guard lk(mu_);
    nlohmann::json vaults = nlohmann::json::object();
    for (auto& [name, v] : vaults_)
        vaults[name] = {{"tls_connections", v.tls_connections},
                        {"requests", v.requests},
                        {"operations", v.operations}};
    return {{"tls_connections", tls_connections_},
            {"identity_connections", identity_connections_.load()},
            {"token_requests", token_requests_},
            {"token_requests_by_endpoint", token_by_endpoint_},
            {"requests", requests_},
            {"operations", operations_},
            {"statuses", statuses_},
            {"vaults", vaults}};
}

void Stats::reset() {
    std::lock_guard lk(mu_);
    identity_connections_ = 0;
    tls_connections_ = token_requests_ = requests_ = 0;
    token_by_endpoint_.clear();
    operations_.clear();
    statuses_.clear();
    for (auto& [name, v] : vaults_)
        v = PerVault{};
}

}  // namespace azkv::emu
