#pragma once
// One benchmark run of one contender: cold start (load to first signature), a warm-up
// signature on every thread, then a timed phase; the emulator's counters around each phase.

#include <string>

#include <nlohmann/json.hpp>

#include "contender.h"

namespace azkv::bench {

struct RunOptions {
    std::string contender;
    int threads = 1;
    double seconds = 2;
    std::string stats_url;  // plain-HTTP /_emulator/stats
    std::string vault_name = "demo";
    // > 0: no timed phase; this many signatures on one thread under callgrind instrumentation
    // (run with valgrind --tool=callgrind --instr-atstart=no).
    int instrumented_ops = 0;
    // Uncounted signatures before them: connections, caches and, with verify_signatures
    // "sampled", the always-checked first answers, so that the count is the steady state.
    int warm_ops = 3;
    // Also output every timed latency (sorted, ms), so that rounds can be merged exactly.
    bool emit_latencies = false;
};

// The result as JSON: ops/s, p50/p99, cold-start time, and emulator counters per phase (cold,
// warm, timed, run; see CounterDelta). Never throws;
// failures are reported in "error".
nlohmann::json RunSign(const RunOptions& options, const Target& target);

// Counter differences between two /_emulator/stats snapshots for one vault.
nlohmann::json CounterDelta(const nlohmann::json& before, const nlohmann::json& after,
                            const std::string& vault_name);

}  // namespace azkv::bench
