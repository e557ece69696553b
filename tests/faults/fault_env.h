// An emulator plus an azkv.json (in a temp dir) that points at it, with the settings a fault
// test needs (retry budget, timeouts, key TTL) and a log file the test can read.
#pragma once

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "emulator_process.h"

namespace azkv::faults {

class FaultEnv {
public:
    // emulator_args: extra azkv-emulator flags (e.g. {"--token-ttl", "60"}).
    explicit FaultEnv(std::vector<std::string> emulator_args = {});
    ~FaultEnv();
    FaultEnv(const FaultEnv&) = delete;
    FaultEnv& operator=(const FaultEnv&) = delete;

    testing::EmulatorProcess& emu() { return emu_; }
    std::string VaultUrl() const { return emu_.Vault("demo").url; }

    // Writes azkv.json: vault "demo", IMDS identity, the emulator's CA, logs to LogPath() at
    // `log_level`, and `http`/`cache` merged over the defaults. Returns its path.
    std::string WriteConfig(const nlohmann::json& http = nlohmann::json::object(),
                            const nlohmann::json& cache = nlohmann::json::object(),
                            const std::string& log_level = "info");
    const std::string& ConfigPath() const { return config_path_; }
    const std::string& LogPath() const { return log_path_; }
    std::string ReadLog() const;

    // Creates a key as the system identity; returns its public JWK.
    nlohmann::json CreateKey(const std::string& name, const nlohmann::json& params);
    // PATCH the key's attributes (e.g. {"enabled": false}).
    void UpdateKey(const std::string& name, const nlohmann::json& attributes);
    void DeleteKey(const std::string& name);

private:
    testing::EmulatorProcess emu_;
    std::string dir_, config_path_, log_path_;
};

// Latency percentiles of a run, in milliseconds.
struct LatencySummary {
    double p50 = 0, p99 = 0, max = 0;
};
LatencySummary Summarize(std::vector<double> samples_ms);

// The mixed faults of the issue: 20% 429 (half without Retry-After), 5% 503, 2% resets and
// 0-20 ms of jitter, on signs only (the key is loaded before they start).
nlohmann::json MixedSignFaults();

double MsSince(std::chrono::steady_clock::time_point start);

// What a concurrent run did.
struct LoadResult {
    int failures = 0;       // the operation reported an error
    int wrong_answers = 0;  // it succeeded, but the result did not verify
    double wall_ms = 0;
    LatencySummary latency;
};

// Result of one operation in a load run.
enum class Outcome { kOk, kFailed, kWrong };

// Runs `total` operations spread over `threads` threads (started together). `setup(thread)`
// runs first in each thread and returns the per-thread operation.
LoadResult RunLoad(int threads, int total,
                   const std::function<std::function<Outcome()>(int thread)>& setup);

}  // namespace azkv::faults
