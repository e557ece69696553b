#include "sign_run.h"

#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <cmath>
#include <mutex>
#include <thread>

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#else  // without valgrind's headers, --instrumented-ops just runs the operations
#define CALLGRIND_START_INSTRUMENTATION
#define CALLGRIND_STOP_INSTRUMENTATION
#endif

#include "raw_http.h"

namespace azkv::bench {

namespace {

using Clock = std::chrono::steady_clock;

long Count(const nlohmann::json& j, std::initializer_list<const char*> path) {
    const nlohmann::json* p = &j;
    for (const char* k : path) {
        if (!p->is_object() || !p->contains(k))
            return 0;
        p = &(*p)[k];
    }
    return p->is_number() ? p->get<long>() : 0;
}

double Percentile(const std::vector<double>& sorted, double q) {
    if (sorted.empty())
        return 0;
    size_t i = static_cast<size_t>(q * static_cast<double>(sorted.size() - 1) + 0.5);
    return sorted[std::min(i, sorted.size() - 1)];
}

double Ms(Clock::duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
}

}  // namespace

nlohmann::json CounterDelta(const nlohmann::json& before, const nlohmann::json& after,
                            const std::string& v) {
    auto d = [&](std::initializer_list<const char*> path) {
        return Count(after, path) - Count(before, path);
    };
    const char* vn = v.c_str();
    return {{"tls_connections", d({"vaults", vn, "tls_connections"})},
            {"vault_requests", d({"vaults", vn, "requests"})},
            {"signs", d({"vaults", vn, "operations", "sign"})},
            {"gets", d({"vaults", vn, "operations", "get"})},
            {"token_requests", d({"token_requests"})},
            {"identity_connections", d({"identity_connections"})},
            {"status_401", d({"statuses", "401"})}};
}

nlohmann::json RunSign(const RunOptions& o, const Target& target) {
    nlohmann::json out = {{"contender", o.contender},
                          {"key", target.kind == KeyKind::kRsa ? "RSA-2048" : "P-256"},
                          {"threads", o.threads}};
    auto contender = MakeContender(o.contender);
    if (!contender) {
        out["error"] = "unknown contender " + o.contender;
        return out;
    }
    nlohmann::json s0 = FetchStats(o.stats_url);

    // Cold start: load everything, then the first signature on this thread.
    std::string error;
    auto t0 = Clock::now();
    if (!contender->Setup(target, error)) {
        out["error"] = "setup: " + error;
        return out;
    }
    auto first = contender->NewWorker(error);
    if (!first || !first->SignOnce(error)) {
        out["error"] = "first signature: " + error;
        return out;
    }
    out["cold_ms"] = Ms(Clock::now() - t0);
    nlohmann::json s1 = FetchStats(o.stats_url);
    out["cold"] = CounterDelta(s0, s1, o.vault_name);

    if (o.instrumented_ops > 0) {
        // Client instructions per signature: warm first (connections, caches), then count.
        for (int i = 0; i < o.warm_ops; ++i)
            first->SignOnce(error);
        long failures = 0;
        CALLGRIND_START_INSTRUMENTATION;
        for (int i = 0; i < o.instrumented_ops; ++i)
            failures += first->SignOnce(error) ? 0 : 1;
        CALLGRIND_STOP_INSTRUMENTATION;
        out["instrumented_ops"] = o.instrumented_ops;
        out["warm_ops"] = o.warm_ops;
        out["errors"] = failures;
        return out;
    }

    // One worker per thread. Warm-up: all threads start together and keep signing until every
    // one of them has signed once. A contender that shares a pool (azkv's) then opens its
    // connections here, as many as the timed phase keeps busy, instead of during the timed phase,
    // where new handshakes would compete with full load (on 2 shared cores a handshake then
    // outlasted azkv's 3 s connect timeout, and the retry opened one connection more).
    std::vector<std::unique_ptr<Worker>> workers;
    workers.push_back(std::move(first));
    for (int i = 1; i < o.threads; ++i) {
        auto w = contender->NewWorker(error);
        if (!w) {
            out["error"] = "worker: " + error;
            return out;
        }
        workers.push_back(std::move(w));
    }
    std::barrier together(o.threads + 1), warm(o.threads + 1), go(o.threads + 1);
    std::atomic<int> warmed{0};
    std::atomic<bool> stop{false};
    std::atomic<long> errors{0};
    std::mutex error_mu;
    std::string first_error;
    std::vector<std::vector<double>> latencies(static_cast<size_t>(o.threads));
    std::vector<std::thread> threads;
    for (int i = 0; i < o.threads; ++i) {
        threads.emplace_back([&, i] {
            auto& lat = latencies[static_cast<size_t>(i)];
            lat.reserve(1 << 16);
            std::string err;
            auto note = [&] {
                errors.fetch_add(1);
                std::lock_guard<std::mutex> lock(error_mu);
                if (first_error.empty())
                    first_error = err;
            };
            together.arrive_and_wait();
            bool counted = false;
            do {
                if (!workers[static_cast<size_t>(i)]->SignOnce(err))
                    note();
                if (!counted) {
                    counted = true;
                    warmed.fetch_add(1);
                }
            } while (warmed.load() < o.threads);
            warm.arrive_and_wait();
            go.arrive_and_wait();
            while (!stop.load(std::memory_order_relaxed)) {
                auto a = Clock::now();
                bool ok = workers[static_cast<size_t>(i)]->SignOnce(err);
                if (ok)
                    lat.push_back(Ms(Clock::now() - a));
                else
                    note();
            }
        });
    }
    together.arrive_and_wait();
    warm.arrive_and_wait();
    long warm_errors = errors.load();
    nlohmann::json s2 = FetchStats(o.stats_url);
    out["warm"] = CounterDelta(s1, s2, o.vault_name);
    auto start = Clock::now();
    go.arrive_and_wait();
    std::this_thread::sleep_for(std::chrono::duration<double>(o.seconds));
    stop = true;
    for (auto& t : threads)
        t.join();
    double secs = std::chrono::duration<double>(Clock::now() - start).count();
    nlohmann::json s3 = FetchStats(o.stats_url);
    workers.clear();

    std::vector<double> all;
    for (auto& v : latencies)
        all.insert(all.end(), v.begin(), v.end());
    std::sort(all.begin(), all.end());
    out["seconds"] = secs;
    out["ops"] = all.size();
    out["errors"] = errors.load();
    out["warm_errors"] = warm_errors;
    if (!first_error.empty())
        out["first_error"] = first_error;
    out["ops_per_s"] = static_cast<double>(all.size()) / secs;
    out["p50_ms"] = Percentile(all, 0.50);
    out["p99_ms"] = Percentile(all, 0.99);
    if (o.emit_latencies) {
        // Microsecond resolution keeps the JSON small.
        std::vector<double> rounded(all.size());
        for (size_t i = 0; i < all.size(); ++i)
            rounded[i] = std::round(all[i] * 1000.0) / 1000.0;
        out["latencies_ms"] = rounded;
    }
    out["timed"] = CounterDelta(s2, s3, o.vault_name);
    out["run"] = CounterDelta(s0, s3, o.vault_name);
    return out;
}

}  // namespace azkv::bench
