#include "azkv/http/http_client.h"

#include <curl/curl.h>

#include <atomic>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include "azkv/log/log.h"
#include "azkv/util/fork_guard.h"

namespace azkv::http {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

// Hostile or broken servers must not make us buffer without bound.
constexpr size_t kMaxResponseBytes = 4 << 20;
constexpr size_t kMaxHeaderBytes = 64 << 10;

void GlobalInit() {
    // Never paired with curl_global_cleanup: the process may still use libcurl (or OpenSSL)
    // after our module is finalised, from other libraries or from atexit handlers.
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Transfer {
    std::string body;
    std::vector<Header> headers;
    size_t header_bytes = 0;
    bool too_large = false;
};

size_t OnBody(char* data, size_t size, size_t nmemb, void* user) {
    auto* t = static_cast<Transfer*>(user);
    size_t n = size * nmemb;
    if (t->body.size() + n > kMaxResponseBytes) {
        t->too_large = true;
        return 0;  // aborts the transfer; libcurl then closes the connection
    }
    t->body.append(data, n);
    return n;
}

size_t OnHeader(char* data, size_t size, size_t nmemb, void* user) {
    auto* t = static_cast<Transfer*>(user);
    size_t n = size * nmemb;
    t->header_bytes += n;
    if (t->header_bytes > kMaxHeaderBytes) {
        t->too_large = true;
        return 0;
    }
    std::string_view line(data, n);
    if (line.rfind("HTTP/", 0) == 0) {
        t->headers.clear();  // a new response (after 100-continue or a retry inside libcurl)
        return n;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos)
        return n;
    auto trim = [](std::string_view s) {
        while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
            s.remove_prefix(1);
        while (!s.empty() && (s.back() == '\r' || s.back() == '\n' || s.back() == ' ')) {
            s.remove_suffix(1);
        }
        return s;
    };
    t->headers.push_back(
        {std::string(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1)))});
    return n;
}

// A header list whose secret entries are wiped before the list is freed.
class HeaderList {
public:
    ~HeaderList() {
        for (curl_slist* p = list_; p != nullptr; p = p->next) {
            if (p->data != nullptr)
                SecureWipe(p->data, std::strlen(p->data));
        }
        curl_slist_free_all(list_);
    }
    bool Add(const std::string& line) {
        curl_slist* n = curl_slist_append(list_, line.c_str());
        if (n == nullptr)
            return false;
        list_ = n;
        return true;
    }
    // A header whose value is a secret: the one temporary line is sized up front (no
    // reallocation leaves a partial copy behind) and wiped after curl has copied it.
    bool AddSecret(const std::string& prefix, const SecretString& value) {
        std::string line;
        line.reserve(prefix.size() + value.size());
        line.append(prefix).append(value.reveal());
        bool ok = Add(line);
        SecureWipe(line.data(), line.size());
        return ok;
    }
    curl_slist* get() const { return list_; }

private:
    curl_slist* list_ = nullptr;
};

bool RetryableTransportError(CURLcode c) {
    switch (c) {
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_CONNECT:
        case CURLE_OPERATION_TIMEDOUT:
        case CURLE_SEND_ERROR:
        case CURLE_RECV_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_PARTIAL_FILE:
        case CURLE_HTTP2:
        case CURLE_HTTP2_STREAM:
        case CURLE_SSL_CONNECT_ERROR:
            return true;
        default:
            return false;
    }
}

std::string HostOf(const std::string& url) {
    size_t start = url.find("://");
    start = start == std::string::npos ? 0 : start + 3;
    size_t end = url.find_first_of("/?#", start);
    return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

std::string PathOf(const std::string& url) {
    size_t start = url.find("://");
    start = start == std::string::npos ? 0 : start + 3;
    size_t slash = url.find('/', start);
    if (slash == std::string::npos)
        return "/";
    size_t q = url.find('?', slash);
    return url.substr(slash, q == std::string::npos ? std::string::npos : q - slash);
}

Status TransportStatus(CURLcode code, const char* detail, const std::string& url) {
    std::string host = HostOf(url);
    std::string why = detail != nullptr && *detail != '\0' ? detail : curl_easy_strerror(code);
    switch (code) {
        case CURLE_OPERATION_TIMEDOUT:
            return Status(ErrorCode::kDeadlineExceeded,
                          "no complete answer from " + host + " in time (" + why +
                              "); check the network path, or raise http.timeout_ms");
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_CERTPROBLEM:
            return Status(ErrorCode::kUnavailable,
                          "the TLS certificate of " + host + " is not trusted (" + why +
                              "); if this is a private CA or the emulator, set http.ca_file "
                              "or AZKV_CA_FILE to its CA certificate");
        case CURLE_COULDNT_RESOLVE_HOST:
            return Status(ErrorCode::kUnavailable,
                          "cannot resolve " + host + " (" + why + "); check DNS and the URL");
        case CURLE_COULDNT_CONNECT:
            return Status(ErrorCode::kUnavailable,
                          "cannot connect to " + host + " (" + why +
                              "); check that it is reachable (firewall, proxy, private endpoint)");
        default:
            return Status(ErrorCode::kUnavailable, "request to " + host + " failed: " + why);
    }
}

}  // namespace

// One process's connections. A forked child builds its own and never touches this one.
struct Client::Pool {
    explicit Pool(const ClientOptions& o) : options(o), generation(ForkGeneration()) {}
    ~Pool() {
        for (CURL* h : idle)
            curl_easy_cleanup(h);
    }

    CURL* Checkout() {
        std::unique_lock<std::mutex> lock(mu);
        cv.wait(lock, [&] { return !idle.empty() || total < options.max_connections; });
        if (!idle.empty()) {
            // Most recently used first: it is the one most likely to hold a live connection.
            CURL* h = idle.back();
            idle.pop_back();
            return h;
        }
        ++total;
        lock.unlock();
        CURL* h = curl_easy_init();
        if (h == nullptr) {
            std::lock_guard<std::mutex> relock(mu);
            --total;
            cv.notify_one();
        }
        return h;
    }

    void Return(CURL* h) {
        {
            std::lock_guard<std::mutex> lock(mu);
            idle.push_back(h);
        }
        cv.notify_one();
    }

    const ClientOptions options;
    const uint64_t generation;
    std::mutex mu;
    std::condition_variable cv;
    std::vector<CURL*> idle;
    int total = 0;
    std::atomic<long> requests{0};
    std::atomic<long> new_connections{0};
};

struct Client::State {
    std::atomic<Pool*> pool{nullptr};
};

Client::Client(ClientOptions options) : options_(std::move(options)), state_(new State) {
    GlobalInit();
    if (options_.max_connections < 1)
        options_.max_connections = 1;
}

Client::~Client() {
    Pool* p = state_->pool.load();
    // A pool built before a fork belongs to the parent: its handles wrap the parent's live TLS
    // connections, so cleaning them up here would send close_notify on the parent's sockets.
    if (p != nullptr && p->generation == ForkGeneration())
        delete p;
}

Client::Pool* Client::pool() {
    uint64_t gen = ForkGeneration();
    Pool* p = state_->pool.load(std::memory_order_acquire);
    if (p != nullptr && p->generation == gen)
        return p;
    // First use, or first use in a forked child. Lock-free on purpose: a mutex inherited
    // from the parent may be held by a thread that does not exist in the child.
    auto* fresh = new Pool(options_);
    if (state_->pool.compare_exchange_strong(p, fresh, std::memory_order_acq_rel))
        return fresh;
    delete fresh;  // another thread of this process won the race
    return p;
}

ClientStats Client::stats() const {
    Pool* p = state_->pool.load();
    if (p == nullptr)
        return {};
    return {p->requests.load(), p->new_connections.load()};
}

StatusOr<Response> Client::SendOnce(const Request& req) {
    bool retryable = false;
    return Attempt(req, retryable);
}

StatusOr<Response> Client::Attempt(const Request& req, bool& retryable) {
    retryable = false;
    Pool* p = pool();
    CURL* h = p->Checkout();
    if (h == nullptr)
        return Status(ErrorCode::kInternal, "curl_easy_init failed");
    struct Lease {
        Pool* p;
        CURL* h;
        ~Lease() { p->Return(h); }
    } lease{p, h};

    // Resetting options keeps the handle's live connections, DNS cache and TLS sessions.
    curl_easy_reset(h);
    Transfer t;
    char errbuf[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(h, CURLOPT_URL, req.url.c_str());
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https,http");
#else
    curl_easy_setopt(h, CURLOPT_PROTOCOLS, CURLPROTO_HTTPS | CURLPROTO_HTTP);
#endif
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    // Never follow redirects: a redirect could carry the bearer token to another host.
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS,
                     req.timeout_ms > 0 ? req.timeout_ms : options_.timeout_ms);
    curl_easy_setopt(
        h, CURLOPT_CONNECTTIMEOUT_MS,
        req.connect_timeout_ms > 0 ? req.connect_timeout_ms : options_.connect_timeout_ms);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_USERAGENT, options_.user_agent.c_str());
    if (!options_.ca_file.empty())
        curl_easy_setopt(h, CURLOPT_CAINFO, options_.ca_file.c_str());
    if (!options_.proxy.empty())
        curl_easy_setopt(h, CURLOPT_PROXY, options_.proxy.c_str());
    // Identity endpoints are local, and IMDS refuses proxied requests: never send them through
    // a proxy, whether configured here or in the environment (https_proxy, http_proxy).
    curl_easy_setopt(h, CURLOPT_NOPROXY, "localhost,127.0.0.1,::1,169.254.169.254");
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &OnBody);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &OnHeader);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &t);

    HeaderList headers;
    bool ok = headers.Add("Expect:");  // no 100-continue round trip
    for (const Header& hd : req.headers)
        ok = ok && headers.Add(hd.name + ": " + hd.value);
    for (const auto& [name, value] : req.secret_headers)
        ok = ok && headers.AddSecret(name + ": ", value);
    if (req.bearer_token)
        ok = ok && headers.AddSecret("Authorization: Bearer ", *req.bearer_token);
    if (!ok)
        return Status(ErrorCode::kInternal, "out of memory building request headers");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());

    if (req.method == "GET") {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else {
        if (req.method != "POST")
            curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req.method.c_str());
        if (req.method != "DELETE" || !req.body.empty()) {
            curl_easy_setopt(h, CURLOPT_POSTFIELDS, req.body.data());
            curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                             static_cast<curl_off_t>(req.body.size()));
        }
    }

    auto start = Clock::now();
    CURLcode rc = curl_easy_perform(h);
    double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    p->requests.fetch_add(1, std::memory_order_relaxed);
    long connects = 0;
    if (curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &connects) == CURLE_OK && connects > 0) {
        p->new_connections.fetch_add(connects, std::memory_order_relaxed);
    }
    // Don't keep pointers to this stack frame in a pooled handle.
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
    if (req.body_is_secret)
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, nullptr);

    if (t.too_large) {
        return Status(ErrorCode::kBadResponse, "the answer from " + HostOf(req.url) +
                                                   " is larger than azkv accepts (4 MiB body, "
                                                   "64 KiB headers); refusing it");
    }
    if (rc != CURLE_OK) {
        retryable = RetryableTransportError(rc);
        Status st = TransportStatus(rc, errbuf, req.url);
        log::Write({.level = LogLevel::kDebug,
                    .vault = req.log_vault,
                    .key = req.log_key,
                    .operation = req.log_operation,
                    .latency_ms = ms,
                    .message = req.method + " " + PathOf(req.url) + ": " + st.message()});
        return st;
    }
    Response resp;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp.status);
    resp.headers = std::move(t.headers);
    resp.body = std::move(t.body);
    resp.elapsed_ms = ms;
    if (log::Enabled(LogLevel::kDebug)) {
        log::Write({.level = LogLevel::kDebug,
                    .vault = req.log_vault,
                    .key = req.log_key,
                    .operation = req.log_operation,
                    .http_status = resp.status,
                    .request_id = resp.request_id(),
                    .latency_ms = ms,
                    .message = req.method + " " + PathOf(req.url) +
                               (connects > 0 ? " (new connection)" : "")});
    }
    return resp;
}

StatusOr<Response> Client::Send(const Request& req, const RetryPolicy& policy) {
    auto start = Clock::now();
    RetryPolicy::Progress progress;
    for (int attempt = 1;; ++attempt) {
        Request attempt_req;
        const Request* r = &req;
        auto elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
        if (attempt > 1) {
            // A retry may not outlive the budget: shorten its timeout to what is left.
            long left = policy.budget().count() - elapsed.count();
            long timeout = req.timeout_ms > 0 ? req.timeout_ms : options_.timeout_ms;
            if (left < timeout) {
                attempt_req = req;
                attempt_req.timeout_ms = std::max(left, 100L);
                r = &attempt_req;
            }
        }
        bool retryable = false;
        auto result = Attempt(*r, retryable);
        bool transport_failure = !result.ok();
        if (transport_failure) {
            // Only failures that a new attempt can fix are retried (not an untrusted
            // certificate, not an oversized answer).
            if (!retryable)
                return result;
        } else if (!policy.RetryableStatus(result->status)) {
            return result;
        }
        elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
        auto delay = policy.NextDelay(progress, transport_failure ? nullptr : &*result, elapsed);
        if (!delay) {
            if (transport_failure) {
                Status st = result.status();
                st.Prepend("after " + std::to_string(attempt) + " attempt(s) in " +
                           std::to_string(elapsed.count()) + " ms: ");
                return st;
            }
            return result;
        }
        log::Write({.level = LogLevel::kInfo,
                    .vault = req.log_vault,
                    .key = req.log_key,
                    .operation = req.log_operation,
                    .http_status = transport_failure ? 0 : result->status,
                    .request_id = transport_failure ? std::string_view() : result->request_id(),
                    .message = "retrying in " + std::to_string(delay->count()) + " ms (attempt " +
                               std::to_string(attempt + 1) + ")" +
                               (transport_failure ? ": " + result.status().message() : "")});
        std::this_thread::sleep_for(*delay);
    }
}

}  // namespace azkv::http
