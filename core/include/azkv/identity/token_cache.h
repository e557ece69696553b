#pragma once
// Caches tokens per resource for one identity.
//
// - Single flight: however many threads ask at a cold start, one request goes to the endpoint;
//   the others wait for its result.
// - Refreshed before expiry, in the background when threads are allowed, so callers never wait
//   on a refresh while the current token is still valid. A failed refresh keeps the current
//   token until it expires and is retried no more often than every 30 s.
// - Invalidate() after a 401 from the vault forces exactly one new fetch.
// - Fork safe: a child starts with no refresher thread and no held locks.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "azkv/identity/token_source.h"

namespace azkv::identity {

struct TokenCacheOptions {
    bool allow_threads = true;  // false under CKF_LIBRARY_CANT_CREATE_OS_THREADS
    // The clock that decides expiry and refresh; empty = the system clock. For tests.
    std::function<SystemClock::time_point()> clock;
};

struct TokenCacheStats {
    long fetches = 0;  // requests made to the token source
    long failed_fetches = 0;
};

class TokenCache {
public:
    TokenCache(std::unique_ptr<TokenSource> source, TokenCacheOptions options = {});
    ~TokenCache();  // never waits on the network
    TokenCache(const TokenCache&) = delete;
    TokenCache& operator=(const TokenCache&) = delete;

    // The token for `resource`, shared and immutable: every request in flight holds the same
    // copy instead of one each, and it is wiped when its last holder releases it.
    StatusOr<std::shared_ptr<const SecretString>> GetShared(const std::string& resource);
    // A private copy, for one-off callers (doctor).
    StatusOr<SecretString> Get(const std::string& resource);

    // The vault rejected `rejected` with a 401: the next Get() for `resource` fetches anew,
    // unless another thread already replaced that token.
    void Invalidate(const std::string& resource, const SecretString& rejected);

    std::string SourceName() const;
    TokenCacheStats stats() const;

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace azkv::identity
