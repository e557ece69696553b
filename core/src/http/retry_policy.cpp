#include "azkv/http/retry_policy.h"

#include <algorithm>
#include <charconv>
#include <random>

namespace azkv::http {

using std::chrono::milliseconds;

namespace {

// Multiplies by a factor in [0.8, 1.2): spreads the retries of many threads that failed at
// the same moment, so that they do not hit the service again in lockstep.
milliseconds Jitter(milliseconds d) {
    thread_local std::minstd_rand rng{std::random_device{}()};
    std::uniform_real_distribution<double> dist(0.8, 1.2);
    return milliseconds(static_cast<long>(static_cast<double>(d.count()) * dist(rng)));
}

std::optional<long> ParseNonNegative(std::string_view s) {
    while (!s.empty() && s.front() == ' ')
        s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ')
        s.remove_suffix(1);
    long v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v < 0)
        return std::nullopt;
    return v;
}

}  // namespace

RetryPolicy::RetryPolicy(StatusFilter filter, milliseconds budget, milliseconds base_delay,
                         milliseconds max_delay, int max_attempts)
    : filter_(std::move(filter)),
      budget_(budget),
      base_delay_(base_delay),
      max_delay_(max_delay),
      max_attempts_(max_attempts) {}

RetryPolicy RetryPolicy::ForKeyVault(milliseconds budget) {
    return RetryPolicy(
        [](long s) { return s == 408 || s == 429 || s == 500 || s == 502 || s == 503 || s == 504; },
        budget, milliseconds(500), milliseconds(16000), 10);
}

RetryPolicy RetryPolicy::ForIdentity(milliseconds budget) {
    // IMDS answers 404 and 410 while it updates, and 429 when its per-VM limit is hit.
    return RetryPolicy([](long s) { return s == 404 || s == 410 || s == 429 || s >= 500; }, budget,
                       milliseconds(1000), milliseconds(16000), 6);
}

RetryPolicy RetryPolicy::None() {
    return RetryPolicy(nullptr, milliseconds(0), milliseconds(0), milliseconds(0), 1);
}

std::optional<milliseconds> RetryPolicy::ServerDelay(const Response& response) {
    for (const char* name : {"retry-after-ms", "x-ms-retry-after-ms"}) {
        if (auto v = ParseNonNegative(response.header(name)))
            return milliseconds(*v);
    }
    // Only the delta-seconds form: an HTTP-date would need a trusted clock to mean anything.
    if (auto v = ParseNonNegative(response.header("retry-after")))
        return milliseconds(*v * 1000);
    return std::nullopt;
}

std::optional<milliseconds> RetryPolicy::NextDelay(Progress& progress, const Response* response,
                                                   milliseconds elapsed) const {
    if (++progress.attempts >= max_attempts_)
        return std::nullopt;
    milliseconds delay;
    if (response == nullptr) {
        // A dropped connection is usually fixed by a new one: retry at once, then back off.
        int n = ++progress.transport_failures;
        delay = n == 1 ? milliseconds(20) : Jitter(base_delay_ * (1 << std::min(n - 2, 10)));
    } else if (auto server = ServerDelay(*response)) {
        delay = *server;
    } else if (response->status == 429) {
        // The service's documented schedule: 1, 2, 4, 8, 16 s.
        int n = ++progress.throttled;
        delay = Jitter(milliseconds(1000) * (1 << std::min(n - 1, 4)));
    } else {
        int n = ++progress.server_errors;
        delay = Jitter(base_delay_ * (1 << std::min(n - 1, 10)));
    }
    delay = std::min(delay, max_delay_);
    // Leave room for the next attempt itself: a retry that can only start at the end of the
    // budget would fail the caller later for nothing.
    if (elapsed + delay + milliseconds(50) > budget_)
        return std::nullopt;
    return delay;
}

}  // namespace azkv::http
