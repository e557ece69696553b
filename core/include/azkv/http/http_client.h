#pragma once
// The one HTTPS client of azkv, shared by every thread of a process.
//
// - Connections are pooled and kept alive: a steady stream of operations makes no TLS handshakes.
//   At most max_connections requests run at once; more callers wait for a free slot.
// - TLS peer and host verification is always on. There is no switch to turn it off.
// - Fork safe: a child never uses its parent's connections, locks or threads. Its first request
//   builds a new pool. The parent's connections are abandoned, not closed: closing would send a
//   TLS close_notify on a socket that the parent still uses.

#include <chrono>
#include <memory>
#include <string>

#include "azkv/http/http_types.h"
#include "azkv/http/retry_policy.h"
#include "azkv/util/status.h"

namespace azkv::http {

struct ClientOptions {
    long timeout_ms = 10000;
    long connect_timeout_ms = 3000;
    int max_connections = 16;
    std::string ca_file;  // empty = the system trust store
    std::string proxy;    // empty = libcurl's defaults (https_proxy, no_proxy)
    std::string user_agent = "azkv/0.1";
};

struct ClientStats {
    long requests = 0;
    long new_connections = 0;  // TCP connections libcurl had to open
};

class Client {
public:
    explicit Client(ClientOptions options);
    ~Client();
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    // One attempt. A transport failure returns kUnavailable (or kDeadlineExceeded on timeout),
    // an HTTP answer of any status returns the Response.
    StatusOr<Response> SendOnce(const Request& request);

    // Attempts until success, a non-retryable answer, or the policy's budget is spent.
    // Returns the last Response even when it is an error status; transport failures after the
    // last attempt return a Status.
    StatusOr<Response> Send(const Request& request, const RetryPolicy& policy);

    const ClientOptions& options() const { return options_; }
    ClientStats stats() const;

    // Checks a URL against the transport rules: https always, except http to a loopback or
    // link-local address when allow_plain_loopback is set (identity endpoints only).
    static Status CheckUrl(const std::string& url, bool allow_plain_loopback);

private:
    struct Pool;
    // One attempt; `retryable` tells whether a transport failure is worth another.
    StatusOr<Response> Attempt(const Request& request, bool& retryable);
    Pool* pool();  // the pool of the current process (rebuilt after fork)

    ClientOptions options_;
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace azkv::http
