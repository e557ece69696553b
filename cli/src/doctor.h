#pragma once
// azkv doctor, one file per step: doctor_setup (config, identity choice, proxy), doctor_network
// (DNS, TCP, TLS and CA trust, Date and clock skew, the vault's challenge), doctor_token (token
// claims, an authenticated call), doctor_keys (per-key permission probes, software keys).

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "azkv/keyvault/challenge.h"
#include "azkv/runtime.h"
#include "doctor_report.h"

namespace azkv::cli {

struct DoctorOptions {
    std::string config_path;  // --config
    std::string key;          // --key KEY (optional)
    std::chrono::milliseconds timeout{3000};
};

// What the network step learned about a vault, for the token step.
struct VaultProbe {
    std::string url;
    bool reachable = false;
    std::optional<keyvault::Challenge> challenge;
    std::optional<long long> skew_s;  // server Date minus local time
};

std::optional<Config> CheckConfig(const DoctorOptions& opts, Checklist& out);
void ExplainIdentity(const Config& config, const DoctorOptions& opts, Checklist& out);
void CheckProxy(const Config& config, Checklist& out);
VaultProbe CheckVaultNetwork(Runtime& rt, const VaultConfig& vault, const DoctorOptions& opts,
                             Checklist& out);
// True when a token was obtained and the vault accepted it.
bool CheckToken(Runtime& rt, const VaultConfig& vault, const VaultProbe& probe, Checklist& out);
void CheckKeyPermissions(Runtime& rt, const std::string& key, Checklist& out);
void CheckSoftwareKeys(Runtime& rt, const VaultConfig& vault, Checklist& out);

// A TCP connection attempt with a deadline; the error text when it fails.
std::optional<std::string> TcpProbe(const std::string& host, int port,
                                    std::chrono::milliseconds timeout);
// Sends `request` over plain TCP and reads what comes back (at most 4 KiB) within `timeout`.
std::optional<std::string> PlainHttpExchange(const std::string& host, int port,
                                             const std::string& request,
                                             std::chrono::milliseconds timeout,
                                             std::string* response);

}  // namespace azkv::cli
