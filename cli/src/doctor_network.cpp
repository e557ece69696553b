// azkv doctor: DNS, TCP and TLS to each vault (with CA trust), then one unauthenticated request
// whose 401 names the token resource and whose Date header shows the clock skew.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "azkv/keyvault/vault_url.h"
#include "doctor.h"

namespace azkv::cli {
namespace {

struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0)
            ::close(fd);
    }
};

std::optional<std::string> Connect(const addrinfo* ai, std::chrono::milliseconds timeout, Fd& out) {
    out.fd =
        ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    if (out.fd < 0)
        return std::string(std::strerror(errno));
    if (::connect(out.fd, ai->ai_addr, ai->ai_addrlen) == 0)
        return std::nullopt;
    if (errno != EINPROGRESS)
        return std::string(std::strerror(errno));
    pollfd p{out.fd, POLLOUT, 0};
    int n = ::poll(&p, 1, static_cast<int>(timeout.count()));
    if (n == 0)
        return "no answer within " + std::to_string(timeout.count()) + " ms";
    int err = 0;
    socklen_t len = sizeof err;
    ::getsockopt(out.fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0)
        return std::string(std::strerror(err));
    int flags = ::fcntl(out.fd, F_GETFL);
    ::fcntl(out.fd, F_SETFL, flags & ~O_NONBLOCK);
    return std::nullopt;
}

struct AddrList {
    addrinfo* list = nullptr;
    ~AddrList() {
        if (list != nullptr)
            freeaddrinfo(list);
    }
};

std::optional<std::string> Resolve(const std::string& host, int port, AddrList& out) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    int rc = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &out.list);
    if (rc != 0)
        return std::string(gai_strerror(rc));
    return std::nullopt;
}

std::string AddressText(const addrinfo* ai) {
    char buf[INET6_ADDRSTRLEN] = "?";
    if (ai->ai_family == AF_INET)
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(ai->ai_addr)->sin_addr, buf,
                  sizeof buf);
    else if (ai->ai_family == AF_INET6)
        inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(ai->ai_addr)->sin6_addr, buf,
                  sizeof buf);
    return buf;
}

std::string NameLine(X509_NAME* name) {
    char buf[256];
    X509_NAME_oneline(name, buf, sizeof buf);
    return buf;
}

// TLS handshake with the trust azkv would use; returns false (and reports) on failure.
bool CheckTls(int fd, const std::string& host, const std::string& ca_file, const std::string& label,
              Checklist& out) {
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    bool trust_ok = ca_file.empty()
                        ? SSL_CTX_set_default_verify_paths(ctx) == 1
                        : SSL_CTX_load_verify_locations(ctx, ca_file.c_str(), nullptr) == 1;
    std::string trust = ca_file.empty() ? "the system trust store" : "http.ca_file " + ca_file;
    if (!trust_ok) {
        SSL_CTX_free(ctx);
        out.Fail(label + " tls", "cannot load " + trust,
                 "point http.ca_file at a readable PEM bundle", ErrorCode::kConfig);
        return false;
    }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);  // the result is read below and reported
    SSL* ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    SSL_set_tlsext_host_name(ssl, host.c_str());
    SSL_set1_host(ssl, host.c_str());
    bool ok = SSL_connect(ssl) == 1;
    if (!ok) {
        unsigned long e = ERR_get_error();
        char buf[256];
        ERR_error_string_n(e, buf, sizeof buf);
        out.Fail(label + " tls", std::string("handshake failed: ") + buf,
                 "check that the URL's port speaks TLS, and any TLS-inspecting proxy or firewall",
                 ErrorCode::kUnavailable);
    } else {
        long verify = SSL_get_verify_result(ssl);
        X509* peer = SSL_get1_peer_certificate(ssl);
        std::string issuer = peer != nullptr ? NameLine(X509_get_issuer_name(peer)) : "?";
        X509_free(peer);
        if (verify != X509_V_OK) {
            ok = false;
            bool name = verify == X509_V_ERR_HOSTNAME_MISMATCH;
            out.Fail(
                label + " tls",
                std::string(name ? "the certificate does not name " + host
                                 : "the server's CA is not trusted by " + trust) +
                    " (" + X509_verify_cert_error_string(verify) + "; issuer " + issuer + ")",
                name ? "use the vault's own host name in the URL (the certificate must name it)"
                     : "set http.ca_file in the config to the CA bundle that issued the vault's "
                       "certificate (issuer " +
                           issuer +
                           "), or add that CA to the system store "
                           "(update-ca-certificates); never turn verification off",
                ErrorCode::kUnavailable);
        } else {
            out.Ok(label + " tls", std::string(SSL_get_version(ssl)) + ", certificate for " + host +
                                       " issued by " + issuer + ", trusted by " + trust);
        }
    }
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    return ok;
}

std::optional<long long> SkewFromDate(std::string_view date) {
    std::tm tm{};
    std::string d(date);
    if (strptime(d.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm) == nullptr)
        return std::nullopt;
    return static_cast<long long>(timegm(&tm)) - static_cast<long long>(std::time(nullptr));
}

void CheckClock(const http::Response& r, const std::string& label, VaultProbe& probe,
                Checklist& out) {
    std::string_view date = r.header("Date");
    if (date.empty()) {
        out.Skip(label + " clock", "the vault sent no Date header");
        return;
    }
    probe.skew_s = SkewFromDate(date);
    if (!probe.skew_s) {
        out.Skip(label + " clock", "unreadable Date header \"" + std::string(date) + "\"");
        return;
    }
    long long s = *probe.skew_s;
    std::string detail = "this host's clock is " + std::to_string(s < 0 ? -s : s) + " s " +
                         (s > 0 ? "behind" : "ahead of") + " the vault's Date header";
    if (s == 0 || (s > -2 && s < 2))
        detail = "in step with the vault's Date header (within 1 s)";
    std::string fix =
        "synchronise the clock (timedatectl set-ntp true, or chrony/ntpd), then "
        "restart the services that use azkv";
    if (s > 300 || s < -300)
        out.Fail(label + " clock", detail + ": tokens will look expired or not yet valid", fix,
                 ErrorCode::kUnauthenticated);
    else if (s > 60 || s < -60)
        out.Warn(label + " clock", detail, fix);
    else
        out.Ok(label + " clock", detail);
}

}  // namespace

std::optional<std::string> TcpProbe(const std::string& host, int port,
                                    std::chrono::milliseconds timeout) {
    AddrList addrs;
    if (auto err = Resolve(host, port, addrs))
        return "cannot resolve " + host + ": " + *err;
    Fd fd;
    return Connect(addrs.list, timeout, fd);
}

std::optional<std::string> PlainHttpExchange(const std::string& host, int port,
                                             const std::string& request,
                                             std::chrono::milliseconds timeout,
                                             std::string* response) {
    AddrList addrs;
    if (auto err = Resolve(host, port, addrs))
        return "cannot resolve " + host + ": " + *err;
    Fd fd;
    if (auto err = Connect(addrs.list, timeout, fd))
        return err;
    if (::send(fd.fd, request.data(), request.size(), MSG_NOSIGNAL) < 0)
        return std::string(std::strerror(errno));
    char buf[4096];
    pollfd p{fd.fd, POLLIN, 0};
    while (response->size() < sizeof buf && ::poll(&p, 1, static_cast<int>(timeout.count())) == 1) {
        ssize_t n = ::recv(fd.fd, buf, sizeof buf, 0);
        if (n <= 0)
            break;
        response->append(buf, static_cast<size_t>(n));
    }
    return std::nullopt;
}

VaultProbe CheckVaultNetwork(Runtime& rt, const VaultConfig& vault, const DoctorOptions& opts,
                             Checklist& out) {
    VaultProbe probe;
    probe.url = vault.url;
    std::string label = "vault " + (vault.label.empty() ? vault.url : vault.label);
    auto url = keyvault::VaultUrl::Parse(vault.url);
    if (!url.ok()) {
        out.Fail(label, url.status().message(), "fix the vault URL in the config",
                 ErrorCode::kConfig);
        return probe;
    }
    AddrList addrs;
    if (auto err = Resolve(url->host(), url->port(), addrs)) {
        out.Fail(label + " dns", "cannot resolve " + url->host() + ": " + *err,
                 "check the vault name, the DNS resolver, and (for private endpoints) the "
                 "privatelink DNS zone",
                 ErrorCode::kUnavailable);
        return probe;
    }
    out.Ok(label + " dns", url->host() + " -> " + AddressText(addrs.list));
    Fd fd;
    auto t0 = std::chrono::steady_clock::now();
    if (auto err = Connect(addrs.list, opts.timeout, fd)) {
        out.Fail(label + " tcp",
                 "cannot connect to " + AddressText(addrs.list) + ":" +
                     std::to_string(url->port()) + ": " + *err,
                 "check that the vault is reachable from this host (firewall, private endpoint, "
                 "proxy settings); the vault's own firewall may also drop this address",
                 ErrorCode::kUnavailable);
        return probe;
    }
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - t0);
    out.Ok(label + " tcp", "connected to " + AddressText(addrs.list) + ":" +
                               std::to_string(url->port()) + " in " + std::to_string(ms.count()) +
                               " ms");
    if (!CheckTls(fd.fd, url->host(), rt.config().http.ca_file, label, out))
        return probe;
    probe.reachable = true;
    http::Request req;
    req.url = url->origin() + "/keys?api-version=7.5&maxresults=1";
    req.timeout_ms = static_cast<long>(opts.timeout.count());
    auto r = rt.http()->SendOnce(req);
    if (!r.ok()) {
        out.Fail(label + " https", r.status().message(), "see the TLS and proxy checks above",
                 ErrorCode::kUnavailable);
        probe.reachable = false;
        return probe;
    }
    CheckClock(*r, label, probe, out);
    probe.challenge = keyvault::ParseChallenge(r->header("WWW-Authenticate"));
    if (r->status != 401 || !probe.challenge) {
        out.Warn(label + " challenge",
                 "an unauthenticated request got HTTP " + std::to_string(r->status) +
                     " without a Bearer challenge; is this URL a Key Vault or Managed HSM?",
                 "check the vault URL in the config");
    } else {
        out.Ok(label + " challenge", "token resource " + probe.challenge->resource + ", tenant " +
                                         probe.challenge->tenant());
    }
    return probe;
}

}  // namespace azkv::cli
