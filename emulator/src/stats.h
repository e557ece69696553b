// Counters behind /_emulator/stats. Tests use them to prove that a client reused connections,
// cached tokens, or retried the expected number of times.
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

namespace azkv::emu {

class Stats {
public:
    void count_vault_connection(const std::string& vault);
    void count_identity_connection() { identity_connections_++; }
    void count_token_request(const std::string& endpoint);
    // One finished vault request; `op` may be empty when the route was unknown.
    void count_vault_request(const std::string& vault, const std::string& op, int status);
    void count_status(int status);
    nlohmann::json to_json() const;
    void reset();

private:
    struct PerVault {
        uint64_t tls_connections = 0, requests = 0;
        std::map<std::string, uint64_t> operations;
    };
    mutable std::mutex mu_;
    std::atomic<uint64_t> identity_connections_{0};
    uint64_t tls_connections_ = 0, token_requests_ = 0, requests_ = 0;
    std::map<std::string, uint64_t> token_by_endpoint_, operations_, statuses_;
    std::map<std::string, PerVault> vaults_;
};

}  // namespace azkv::emu
