#pragma once
// When to retry and how long to wait. The rules differ by peer: Key Vault retries 408, 429 and
// 5xx; IMDS also retries 404 and 410 (it answers those while it updates). Every schedule is capped
// by a budget so that a caller's worst case is known in advance.

#include <chrono>
#include <functional>
#include <optional>
#include <string_view>

#include "azkv/http/http_types.h"

namespace azkv::http {

class RetryPolicy {
public:
    using Clock = std::chrono::steady_clock;
    // Decides whether an HTTP status is worth another attempt.
    using StatusFilter = std::function<bool(long status)>;

    RetryPolicy(StatusFilter filter, std::chrono::milliseconds budget,
                std::chrono::milliseconds base_delay, std::chrono::milliseconds max_delay,
                int max_attempts);

    // Key Vault: 408, 429, 500, 502, 503, 504 and transport failures; 429 without Retry-After
    // follows the service's documented 1, 2, 4, 8, 16 s schedule.
    static RetryPolicy ForKeyVault(std::chrono::milliseconds budget);
    // IMDS and the other managed-identity endpoints: 404, 410, 429 and 5xx.
    static RetryPolicy ForIdentity(std::chrono::milliseconds budget);
    // No retries at all (probes).
    static RetryPolicy None();

    bool RetryableStatus(long status) const { return filter_ && filter_(status); }

    // The failed attempts of one logical request so far, by kind. Each back-off schedule is
    // indexed by the failures of its own kind: a 503 or a 429 that named its own delay says
    // nothing about how hard the service is throttling, so it must not push a later 429 further
    // along the 1, 2, 4, 8, 16 s schedule (nor a throttle push a later 503 along its own).
    struct Progress {
        int attempts = 0;            // every failed attempt (bounded by max_attempts)
        int throttled = 0;           // 429 answers without a server-given delay
        int server_errors = 0;       // other retryable statuses without a server-given delay
        int transport_failures = 0;  // no answer at all (reset, timeout, refused)
    };

    // Records the failed attempt that just ended in `progress` and returns the delay before the
    // next one, or nullopt when the policy gives up. `response` is null after a transport
    // failure. `elapsed` is the time already spent on this logical request; the returned delay
    // never takes it past the budget.
    std::optional<std::chrono::milliseconds> NextDelay(Progress& progress, const Response* response,
                                                       std::chrono::milliseconds elapsed) const;

    std::chrono::milliseconds budget() const { return budget_; }

    // Parses Retry-After (delta-seconds), retry-after-ms and x-ms-retry-after-ms.
    static std::optional<std::chrono::milliseconds> ServerDelay(const Response& response);

private:
    StatusFilter filter_;
    std::chrono::milliseconds budget_;
    std::chrono::milliseconds base_delay_;
    std::chrono::milliseconds max_delay_;
    int max_attempts_;
};

}  // namespace azkv::http
