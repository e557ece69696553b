// Fault injection (/_emulator/faults and the --fault-* flags). Decisions come from one seeded PRNG
// so that a sequential test sees the same faults on every run.
#pragma once

#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

namespace azkv::emu {

enum class FaultKind {
    None,
    Throttle,
    ThrottleNoRetryAfter,
    Error500,
    Error503,
    Reset,
    SlowBody,
    MalformedJson,
    EmptyPage
};

struct FaultDecision {
    FaultKind kind = FaultKind::None;
    double delay_ms = 0;  // latency + jitter + stall, slept in the connection's own thread
    int retry_after_s = 1;
    int slow_body_ms = 0;
    std::string hostile;  // hostile.h mode, "" = none
};

class Faults {
public:
    // POST semantics: merges the given fields; throws ApiError(400) naming a bad field.
    void merge(const nlohmann::json& j);
    void reset();
    nlohmann::json to_json() const;

    bool token_endpoint_down() const;
    bool vault_down(const std::string& vault) const;
    // The hostile mode for a 401 challenge of this vault (no op is known yet).
    std::string hostile_challenge(const std::string& vault) const;
    FaultDecision decide(const std::string& vault, const std::string& op);

private:
    bool applies(const std::string& vault, const std::string& op) const;
    mutable std::mutex mu_;
    nlohmann::json cfg_ = nlohmann::json::object();
    std::mt19937_64 rng_{std::random_device{}()};
};

}  // namespace azkv::emu
