#include "handshake_run.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "raw_http.h"
#include "sign_run.h"

namespace azkv::bench {

namespace {

using Clock = std::chrono::steady_clock;

int Connect(const std::string& host, int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, host.c_str(), &a.sin_addr);
    if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        close(fd);
        return -1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

// One handshake; with `request`, also one HTTP request so that TLS 1.3 session tickets arrive.
// The server's signature is checked by the handshake itself (CertificateVerify against the
// certificate's public key). Returns the session when asked for.
bool Handshake(SSL_CTX* ctx, const HandshakeOptions& o, SSL_SESSION* resume, bool request,
               SSL_SESSION** session_out, bool* reused, std::string& error) {
    int fd = Connect(o.host, o.port);
    if (fd < 0) {
        error = "connect failed";
        return false;
    }
    SSL* ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    if (resume != nullptr)
        SSL_set_session(ssl, resume);
    bool ok = SSL_connect(ssl) == 1;
    if (!ok) {
        char buf[256] = {0};
        ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
        error = std::string("handshake: ") + buf;
    }
    if (ok && request) {
        const char req[] = "GET / HTTP/1.0\r\n\r\n";
        SSL_write(ssl, req, sizeof req - 1);
        char buf[4096];
        while (SSL_read(ssl, buf, sizeof buf) > 0) {
        }
    }
    if (ok && reused != nullptr)
        *reused = SSL_session_reused(ssl) == 1;
    if (ok && session_out != nullptr)
        *session_out = SSL_get1_session(ssl);
    SSL_shutdown(ssl);
    SSL_free(ssl);
    close(fd);
    ERR_clear_error();
    return ok;
}

}  // namespace

nlohmann::json RunHandshakes(const HandshakeOptions& o) {
    nlohmann::json out = {{"threads", o.threads}, {"resume", o.resume}};
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    std::string error;
    if (o.resume) {
        SSL_SESSION* session = nullptr;
        if (!Handshake(ctx, o, nullptr, true, &session, nullptr, error) || session == nullptr) {
            out["error"] = error.empty() ? "no session" : error;
            SSL_CTX_free(ctx);
            return out;
        }
        nlohmann::json s0 = FetchStats(o.stats_url);
        int resumed = 0;
        for (int i = 0; i < o.count; ++i) {
            SSL_SESSION* next = nullptr;
            bool reused = false;
            if (!Handshake(ctx, o, session, true, &next, &reused, error))
                break;
            resumed += reused ? 1 : 0;
            if (next != nullptr) {
                SSL_SESSION_free(session);
                session = next;
            }
        }
        SSL_SESSION_free(session);
        out["handshakes"] = o.count;
        out["resumed"] = resumed;
        out["counters"] = CounterDelta(s0, FetchStats(o.stats_url), o.vault_name);
        if (!error.empty())
            out["error"] = error;
        SSL_CTX_free(ctx);
        return out;
    }
    nlohmann::json s0 = FetchStats(o.stats_url);
    std::atomic<bool> stop{false};
    std::atomic<long> done{0}, failed{0};
    std::mutex mu;
    std::vector<double> lat;
    auto start = Clock::now();
    std::vector<std::thread> threads;
    for (int i = 0; i < o.threads; ++i) {
        threads.emplace_back([&] {
            std::vector<double> mine;
            std::string err;
            while (!stop.load(std::memory_order_relaxed)) {
                auto a = Clock::now();
                if (Handshake(ctx, o, nullptr, false, nullptr, nullptr, err)) {
                    mine.push_back(
                        std::chrono::duration<double, std::milli>(Clock::now() - a).count());
                    done.fetch_add(1);
                } else {
                    failed.fetch_add(1);
                    std::lock_guard<std::mutex> lock(mu);
                    if (!out.contains("first_error"))
                        out["first_error"] = err;
                }
            }
            std::lock_guard<std::mutex> lock(mu);
            lat.insert(lat.end(), mine.begin(), mine.end());
        });
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(o.seconds));
    stop = true;
    for (auto& t : threads)
        t.join();
    double secs = std::chrono::duration<double>(Clock::now() - start).count();
    std::sort(lat.begin(), lat.end());
    out["seconds"] = secs;
    out["handshakes"] = done.load();
    out["errors"] = failed.load();
    out["handshakes_per_s"] = static_cast<double>(done.load()) / secs;
    out["p50_ms"] = lat.empty() ? 0.0 : lat[lat.size() / 2];
    out["counters"] = CounterDelta(s0, FetchStats(o.stats_url), o.vault_name);
    SSL_CTX_free(ctx);
    return out;
}

}  // namespace azkv::bench
