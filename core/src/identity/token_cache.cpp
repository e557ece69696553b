#include "azkv/identity/token_cache.h"

#include <openssl/crypto.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <system_error>
#include <thread>

#include "azkv/log/log.h"
#include "azkv/util/fork_guard.h"

namespace azkv::identity {
namespace {

using std::chrono::seconds;

// A refresh that failed is not retried sooner: a struggling endpoint gets room, and callers keep
// the current token meanwhile.
constexpr seconds kMinRefreshInterval{30};

struct Entry {
    // Shared, never modified: requests hold the token itself rather than a copy each, and the
    // last holder's release wipes it (SecretString).
    std::shared_ptr<const AccessToken> token;
    bool in_flight = false;
    uint64_t fetches_done = 0;  // bumped when a fetch completes; waiters watch it
    Status last_error;          // of the last completed fetch
    std::optional<SystemClock::time_point> last_attempt;
};

// Everything that belongs to one process. A forked child builds its own (see Current()).
struct ProcessState {
    explicit ProcessState(uint64_t gen) : generation(gen) {}
    const uint64_t generation;
    std::mutex mu;
    std::condition_variable cv;
    std::map<std::string, Entry> entries;  // map: references stay valid across inserts
    TokenCacheStats stats;
};

bool Valid(const Entry& e, SystemClock::time_point now) {
    return e.token && now < e.token->expires_on;
}

std::shared_ptr<const SecretString> SharedToken(const Entry& e) {
    return {e.token, &e.token->token};
}

bool SameSecret(const SecretString& a, const SecretString& b) {
    // Constant time: how much of a guess matched must not show in the timing.
    return a.size() == b.size() &&
           CRYPTO_memcmp(a.reveal().data(), b.reveal().data(), a.size()) == 0;
}

}  // namespace

struct TokenCache::Impl : std::enable_shared_from_this<TokenCache::Impl> {
    Impl(std::unique_ptr<TokenSource> src, TokenCacheOptions opts)
        : source(std::move(src)),
          options(std::move(opts)),
          state(new ProcessState(ForkGeneration())) {}

    ~Impl() {
        ProcessState* s = state.load();
        // A state inherited from the parent is leaked, never destroyed: see Current().
        if (s->generation == ForkGeneration())
            delete s;
    }
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;

    SystemClock::time_point Now() const {
        return options.clock ? options.clock() : SystemClock::now();
    }

    // The state of this process. After a fork the child finds its parent's state: its mutex may be
    // locked by a thread that does not exist in the child, its in-flight marks wait for fetches and
    // a refresher that will never finish. The child must not touch it, not even to destroy it (a
    // locked mutex cannot be destroyed), so it is left behind, a small leak once per fork, and a
    // fresh state takes its place.
    ProcessState* Current() {
        const uint64_t gen = ForkGeneration();
        ProcessState* s = state.load(std::memory_order_acquire);
        while (s->generation != gen) {
            auto* fresh = new ProcessState(gen);
            if (state.compare_exchange_strong(s, fresh, std::memory_order_acq_rel))
                return fresh;
            delete fresh;  // another thread of this process won; `s` now holds its state
        }
        return s;
    }

    StatusOr<AccessToken> SafeFetch(const std::string& resource) {
        if (!source)
            return Status(ErrorCode::kConfig, "token cache: no token source");
        // An escaping exception would leave the entry in flight forever, and its waiters with it.
        try {
            return source->Fetch(resource);
        } catch (const std::exception& e) {
            return Status(ErrorCode::kInternal, source->Name() + ": " + e.what());
        }
    }

    // Records a finished fetch and wakes whoever waits for it. Called with s->mu held.
    void Complete(ProcessState* s, Entry& e, StatusOr<AccessToken> result) {
        ++s->stats.fetches;
        if (result.ok()) {
            e.token = std::make_shared<const AccessToken>(std::move(result).value());
            e.last_error = Status::Ok();
        } else {
            ++s->stats.failed_fetches;
            e.last_error = result.status();
            if (Valid(e, Now())) {
                log::Warn("token refresh failed; the current token is used until it expires: " +
                          e.last_error.ToString());
            }
        }
        e.in_flight = false;
        ++e.fetches_done;
        s->cv.notify_all();
    }

    // Fetches on the calling thread with the lock released meanwhile.
    void FetchHere(ProcessState* s, std::unique_lock<std::mutex>& lock, const std::string& resource,
                   Entry& e) {
        e.in_flight = true;
        e.last_attempt = Now();
        lock.unlock();
        StatusOr<AccessToken> result = SafeFetch(resource);
        lock.lock();
        Complete(s, e, std::move(result));
    }

    // Starts the one background refresher of this entry. The thread owns a reference to this
    // Impl, so ~TokenCache neither waits for it nor frees what it still uses.
    bool StartRefresher(ProcessState* s, const std::string& resource, Entry& e) {
        e.in_flight = true;
        e.last_attempt = Now();
        try {
            std::thread([self = shared_from_this(), s, resource] {
                StatusOr<AccessToken> result = self->SafeFetch(resource);
                std::lock_guard<std::mutex> lock(s->mu);
                self->Complete(s, s->entries[resource], std::move(result));
            }).detach();
            return true;
        } catch (const std::system_error&) {
            e.in_flight = false;  // no thread to be had: the caller refreshes itself
            return false;
        }
    }

    bool RefreshDue(const Entry& e, SystemClock::time_point now) const {
        return now >= e.token->refresh_on && !e.in_flight &&
               (!e.last_attempt || now - *e.last_attempt >= kMinRefreshInterval);
    }

    StatusOr<std::shared_ptr<const SecretString>> Get(const std::string& resource) {
        ProcessState* s = Current();
        std::unique_lock<std::mutex> lock(s->mu);
        Entry& e = s->entries[resource];
        while (true) {
            if (Valid(e, Now())) {
                if (!RefreshDue(e, Now()))
                    return SharedToken(e);
                if (options.allow_threads && StartRefresher(s, resource, e))
                    return SharedToken(e);
                // Without threads the first caller past refresh_on refreshes; the others keep
                // using the current token meanwhile (it is still valid, so they do not wait).
                FetchHere(s, lock, resource, e);
            } else if (e.in_flight) {
                const uint64_t seen = e.fetches_done;
                s->cv.wait(lock, [&] { return e.fetches_done != seen; });
            } else {
                FetchHere(s, lock, resource, e);
            }
            // A fetch just completed, here or elsewhere. Its failure is the answer unless a
            // token is still valid; an entry invalidated meanwhile goes round again.
            if (Valid(e, Now()))
                return SharedToken(e);
            if (!e.last_error.ok())
                return e.last_error;
            if (e.token) {
                return Status(ErrorCode::kBadResponse,
                              source->Name() + ": the token source returned an expired token");
            }
        }
    }

    void Invalidate(const std::string& resource, const SecretString& rejected) {
        ProcessState* s = Current();
        std::lock_guard<std::mutex> lock(s->mu);
        auto it = s->entries.find(resource);
        // Only the token that was rejected: when N threads see the same 401, the first drops it,
        // the others find its replacement (or a fetch in flight) and leave it alone.
        if (it == s->entries.end() || !it->second.token)
            return;
        if (SameSecret(it->second.token->token, rejected))
            it->second.token.reset();
    }

    TokenCacheStats Stats() {
        ProcessState* s = Current();
        std::lock_guard<std::mutex> lock(s->mu);
        return s->stats;
    }

    const std::unique_ptr<TokenSource> source;
    const TokenCacheOptions options;
    std::atomic<ProcessState*> state;
};

TokenCache::TokenCache(std::unique_ptr<TokenSource> source, TokenCacheOptions options)
    : impl_(std::make_shared<Impl>(std::move(source), std::move(options))) {}

// Only drops this reference: a refresher still running keeps the Impl until it finishes.
TokenCache::~TokenCache() = default;

StatusOr<std::shared_ptr<const SecretString>> TokenCache::GetShared(const std::string& resource) {
    return impl_->Get(resource);
}

StatusOr<SecretString> TokenCache::Get(const std::string& resource) {
    AZKV_ASSIGN_OR_RETURN(auto token, impl_->Get(resource));
    return SecretString(*token);
}

void TokenCache::Invalidate(const std::string& resource, const SecretString& rejected) {
    impl_->Invalidate(resource, rejected);
}

std::string TokenCache::SourceName() const {
    return impl_->source ? impl_->source->Name() : std::string("none");
}

TokenCacheStats TokenCache::stats() const {
    return impl_->Stats();
}

}  // namespace azkv::identity
