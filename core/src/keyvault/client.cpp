#include "azkv/keyvault/client.h"

#include <strings.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <set>

#include "azkv/keyvault/challenge.h"
#include "azkv/log/log.h"
#include "azkv/util/base64.h"
#include "azkv/util/fork_guard.h"
#include "keyvault/flat_json.h"
#include "keyvault/model_json.h"
#include "keyvault/service_error.h"

namespace azkv::keyvault {

using detail::ErrorContext;
using nlohmann::json;

namespace {

constexpr size_t kMaxRngCount = 128;

std::string WithApiVersion(const std::string& url, const std::string& api_version) {
    // Drop any api-version already there (nextLink echoes older ones) and add ours.
    std::string base = url;
    std::string query;
    if (size_t q = url.find('?'); q != std::string::npos) {
        base = url.substr(0, q);
        std::string rest = url.substr(q + 1);
        size_t pos = 0;
        while (pos <= rest.size()) {
            size_t amp = rest.find('&', pos);
            std::string part =
                rest.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
            if (!part.empty() && strncasecmp(part.c_str(), "api-version=", 12) != 0) {
                query += (query.empty() ? "" : "&") + part;
            }
            if (amp == std::string::npos)
                break;
            pos = amp + 1;
        }
    }
    return base + "?" + (query.empty() ? "" : query + "&") + "api-version=" + api_version;
}

}  // namespace

Client::Client(VaultUrl vault, std::shared_ptr<http::Client> http,
               std::shared_ptr<identity::TokenCache> tokens, ClientOptions options)
    : vault_(std::move(vault)),
      http_(std::move(http)),
      tokens_(std::move(tokens)),
      options_(std::move(options)) {}

ServiceKind Client::kind() const {
    if (options_.kind)
        return *options_.kind;
    if (vault_.known_resource())
        return vault_.kind();
    std::lock_guard<std::mutex> lock(mu_);
    return challenge_kind_.value_or(ServiceKind::kVault);
}

std::string Client::Url(const std::string& path) const {
    return WithApiVersion(vault_.origin() + path, options_.api_version);
}

StatusOr<std::string> Client::Resource(const std::string& method, const std::string& url) {
    if (vault_.known_resource())
        return *vault_.known_resource();
    std::unique_lock<std::mutex> lock(mu_);
    if (challenge_resource_)
        return *challenge_resource_;
    const uint64_t generation = ForkGeneration();
    if (probe_ && probe_->fork_generation == generation) {
        // Another thread is asking already: its answer (or its error) is ours too.
        std::shared_ptr<ProbeFlight> flight = probe_;
        probe_done_.wait(lock, [&] { return flight->done; });
        return flight->result;
    }
    auto flight = std::make_shared<ProbeFlight>();
    flight->fork_generation = generation;
    probe_ = flight;
    lock.unlock();
    StatusOr<std::string> result = ProbeChallenge(method, url);
    lock.lock();
    flight->result = result;
    flight->done = true;
    if (probe_ == flight)
        probe_.reset();
    probe_done_.notify_all();
    return result;
}

StatusOr<std::string> Client::ProbeChallenge(const std::string& method, const std::string& url) {
    // Unknown host (private endpoint, emulator): ask the vault which resource it wants, with a
    // bodiless unauthenticated request, as the Azure SDKs do. Nothing secret is sent.
    http::Request probe;
    probe.method = method;
    probe.url = url;
    probe.log_vault = vault_.origin();
    probe.log_operation = "challenge";
    auto resp = http_->Send(probe, http::RetryPolicy::ForKeyVault(options_.retry_budget));
    ErrorContext ctx{vault_.origin(), "challenge", "", kind() == ServiceKind::kManagedHsm};
    if (!resp.ok()) {
        Status st = resp.status();
        return st.Prepend(detail::ContextPrefix(ctx));
    }
    // A vault that is down or throttling says so before it ever challenges: report that, not
    // a doubt about the endpoint.
    if (resp->status == 429 || resp->status >= 500)
        return detail::ServiceError(*resp, ctx);
    auto challenge = ParseChallenge(resp->header("www-authenticate"));
    if (resp->status != 401 || !challenge) {
        return Status(ErrorCode::kBadResponse, detail::ContextPrefix(ctx) +
                                                   "expected a 401 with a Bearer challenge to "
                                                   "learn the token resource, got HTTP " +
                                                   std::to_string(resp->status) + "; is " +
                                                   vault_.origin() +
                                                   " a Key Vault or Managed HSM endpoint?");
    }
    if (!ChallengeResourceAcceptable(vault_, challenge->resource)) {
        return Status(ErrorCode::kUnauthenticated,
                      detail::ContextPrefix(ctx) + "the vault asks for a token for \"" +
                          challenge->resource +
                          "\", which is neither this vault's own host "
                          "nor a Key Vault cloud resource; refusing, so that no token is sent "
                          "to a host it was not issued for");
    }
    std::lock_guard<std::mutex> lock(mu_);
    challenge_resource_ = challenge->resource;
    challenge_kind_ = resp->body.empty() ? ServiceKind::kManagedHsm : ServiceKind::kVault;
    return *challenge_resource_;
}

StatusOr<http::Response> Client::CallRaw(const std::string& method, const std::string& url,
                                         const std::string* body, bool body_is_secret,
                                         const std::string& operation,
                                         const std::string& object_name,
                                         const std::vector<long>& quiet_statuses) {
    ErrorContext ctx{vault_.origin(), operation, object_name, kind() == ServiceKind::kManagedHsm};
    auto start = std::chrono::steady_clock::now();
    AZKV_ASSIGN_OR_RETURN(std::string resource, Resource(method, url));
    // Failures before any answer: logged here, where vault, key and operation are known.
    auto fail = [&](Status st, const std::string& prefix) {
        st.Prepend(prefix);
        log::Write({.level = LogLevel::kError,
                    .vault = vault_.origin(),
                    .key = object_name,
                    .operation = operation,
                    .message = st.message()});
        return st;
    };
    http::Response resp;
    for (int attempt = 0; attempt < 2; ++attempt) {
        auto token = tokens_->GetShared(resource);
        if (!token.ok()) {
            return fail(token.status(),
                        detail::ContextPrefix(ctx) + "no token for " + resource + ": ");
        }
        http::Request req;
        req.method = method;
        req.url = url;
        req.headers.push_back({"Accept", "application/json"});
        if (body != nullptr) {
            req.headers.push_back({"Content-Type", "application/json"});
            req.body = *body;
            req.body_is_secret = body_is_secret;
        }
        req.bearer_token = *token;
        req.log_vault = vault_.origin();
        req.log_key = object_name;
        req.log_operation = operation;
        auto r = http_->Send(req, http::RetryPolicy::ForKeyVault(options_.retry_budget));
        if (body_is_secret)
            SecureWipe(req.body.data(), req.body.size());
        if (!r.ok())
            return fail(r.status(), detail::ContextPrefix(ctx));
        resp = std::move(*r);
        if (resp.status != 401 || attempt == 1)
            break;
        // The token was refused (revoked, expired early, wrong audience): refresh it once.
        tokens_->Invalidate(resource, **token);
        if (!vault_.known_resource()) {
            auto challenge = ParseChallenge(resp.header("www-authenticate"));
            if (challenge && challenge->resource != resource &&
                ChallengeResourceAcceptable(vault_, challenge->resource)) {
                std::lock_guard<std::mutex> lock(mu_);
                challenge_resource_ = challenge->resource;
                resource = challenge->resource;
            }
        }
        log::Write({.level = LogLevel::kInfo,
                    .vault = vault_.origin(),
                    .key = object_name,
                    .operation = operation,
                    .http_status = 401,
                    .request_id = resp.request_id(),
                    .message = "token refused; fetching a new one and retrying once"});
    }
    double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (resp.status < 200 || resp.status >= 300) {
        Status st = detail::ServiceError(resp, ctx);
        // A 404 is often an expected answer (a lookup by label or version), and a probe expects
        // its own; the caller decides whether it is an error worth an error line.
        bool expected = std::find(quiet_statuses.begin(), quiet_statuses.end(), resp.status) !=
                        quiet_statuses.end();
        log::Write({.level = expected             ? LogLevel::kDebug
                             : resp.status == 404 ? LogLevel::kInfo
                                                  : LogLevel::kError,
                    .vault = vault_.origin(),
                    .key = object_name,
                    .operation = operation,
                    .http_status = resp.status,
                    .request_id = resp.request_id(),
                    .latency_ms = ms,
                    .message = st.message()});
        return st;
    }
    log::Write({.level = LogLevel::kDebug,
                .vault = vault_.origin(),
                .key = object_name,
                .operation = operation,
                .http_status = resp.status,
                .request_id = resp.request_id(),
                .latency_ms = ms});
    return resp;
}

namespace {

// Answers that carry key material or plaintext: their bodies are wiped once read.
bool AnswerIsSecret(const std::string& operation, bool body_is_secret) {
    return body_is_secret || operation == "decrypt" || operation == "unwrapkey" ||
           operation == "rng" || operation == "secrets/get";
}

StatusOr<json> ParseBody(http::Response& resp, const ErrorContext& ctx) {
    if (resp.body.empty())
        return json();
    json j = json::parse(resp.body, nullptr, false);
    if (j.is_discarded()) {
        Status st(ErrorCode::kBadResponse,
                  detail::ContextPrefix(ctx) + "HTTP " + std::to_string(resp.status) +
                      " with a body that is not JSON; is a proxy or captive portal in the way?");
        st.set_request_id(std::string(resp.request_id()));
        return st;
    }
    return j;
}

}  // namespace

StatusOr<json> Client::CallUrl(const std::string& method, const std::string& url,
                               const std::string* body, bool body_is_secret,
                               const std::string& operation, const std::string& object_name,
                               const std::vector<long>& quiet_statuses) {
    AZKV_ASSIGN_OR_RETURN(http::Response resp, CallRaw(method, url, body, body_is_secret, operation,
                                                       object_name, quiet_statuses));
    ErrorContext ctx{vault_.origin(), operation, object_name, kind() == ServiceKind::kManagedHsm};
    auto j = ParseBody(resp, ctx);
    if (AnswerIsSecret(operation, body_is_secret))
        SecureWipe(resp.body.data(), resp.body.size());
    return j;
}

StatusOr<json> Client::Call(const std::string& method, const std::string& path, const json* body,
                            const std::string& operation, const std::string& object_name) {
    std::string text;
    if (body != nullptr)
        text = body->dump();
    return CallUrl(method, Url(path), body != nullptr ? &text : nullptr, false, operation,
                   object_name);
}

namespace {

// Re-labels a parse failure with where the answer came from (the prefix is built only then:
// this runs on every signature).
template <typename T>
StatusOr<T> Labelled(StatusOr<T> v, const ErrorContext& ctx) {
    if (!v.ok()) {
        Status st = v.status();
        return st.Prepend(detail::ContextPrefix(ctx));
    }
    return v;
}

}  // namespace

Status Client::CheckKid(const std::string& kid, const std::string& name, const std::string& version,
                        const std::string& operation) const {
    // The common answer names exactly the key version that was asked for, in the form we sent:
    // a plain comparison settles it without parsing the URL.
    const std::string& origin = vault_.origin();
    constexpr std::string_view kKeys = "/keys/";
    if (!version.empty() &&
        kid.size() == origin.size() + kKeys.size() + name.size() + 1 + version.size()) {
        std::string_view k(kid);
        if (k.starts_with(origin) && k.substr(origin.size()).starts_with(kKeys) &&
            k.substr(origin.size() + kKeys.size(), name.size()) == name &&
            k[origin.size() + kKeys.size() + name.size()] == '/' && k.ends_with(version)) {
            return Status::Ok();
        }
    }
    ErrorContext ctx{vault_.origin(), operation, name};
    auto id = ObjectId::Parse(kid);
    if (!id.ok()) {
        return Status(ErrorCode::kBadResponse,
                      detail::ContextPrefix(ctx) +
                          "the answer carries an unusable kid: " + id.status().message());
    }
    // A kid for another vault or key means the answer is not about what we asked.
    bool same_vault = id->vault.host() == vault_.host();
    bool same_name = strcasecmp(id->name.c_str(), name.c_str()) == 0;
    bool same_version = version.empty() || id->version.empty() || id->version == version;
    if (!same_vault || !same_name || !same_version) {
        return Status(ErrorCode::kBadResponse, detail::ContextPrefix(ctx) + "the answer is about " +
                                                   kid +
                                                   ", not the key that was asked for; refusing it");
    }
    return Status::Ok();
}

StatusOr<KeyBundle> Client::GetKey(const std::string& name, const std::string& version) {
    std::string path = "/keys/" + name + (version.empty() ? "" : "/" + version);
    AZKV_ASSIGN_OR_RETURN(json j, Call("GET", path, nullptr, "get", name));
    ErrorContext ctx{vault_.origin(), "get", name};
    AZKV_ASSIGN_OR_RETURN(KeyBundle b, Labelled(detail::ParseKeyBundle(j), ctx));
    AZKV_RETURN_IF_ERROR(CheckKid(b.key.kid, name, version, "get"));
    return b;
}

StatusOr<std::vector<KeyItem>> Client::ListPaged(const std::string& first_path,
                                                 const std::string& operation,
                                                 const std::string& object_name, int max_pages) {
    AZKV_ASSIGN_OR_RETURN(std::vector<json> entries,
                          ListJson(first_path, operation, object_name, max_pages));
    ErrorContext ctx{vault_.origin(), operation, object_name};
    std::vector<KeyItem> items;
    for (const auto& entry : entries) {
        AZKV_ASSIGN_OR_RETURN(KeyItem item, Labelled(detail::ParseKeyItem(entry), ctx));
        items.push_back(std::move(item));
    }
    return items;
}

StatusOr<std::vector<json>> Client::ListJson(const std::string& first_path,
                                             const std::string& operation,
                                             const std::string& object_name, int max_pages) {
    ErrorContext ctx{vault_.origin(), operation, object_name};
    std::vector<json> items;
    std::string url = Url(first_path);
    std::set<std::string> seen;
    for (int page = 0; page < max_pages; ++page) {
        AZKV_ASSIGN_OR_RETURN(json j, CallUrl("GET", url, nullptr, false, operation, object_name));
        if (!j.is_object()) {
            return Status(ErrorCode::kBadResponse,
                          detail::ContextPrefix(ctx) + "the list answer is not a JSON object");
        }
        if (auto v = j.find("value"); v != j.end() && v->is_array()) {
            for (const auto& entry : *v)
                items.push_back(entry);
        }
        // A page may be empty while nextLink is still set: keep following it.
        auto next = j.find("nextLink");
        if (next == j.end() || !next->is_string() || next->get<std::string>().empty()) {
            return items;
        }
        std::string link = next->get<std::string>();
        auto link_url = VaultUrl::Parse(link.substr(0, link.find('/', 8)));
        if (!link_url.ok() || link_url->host() != vault_.host()) {
            return Status(ErrorCode::kBadResponse,
                          detail::ContextPrefix(ctx) + "nextLink points to another host (" +
                              link.substr(0, 120) + "); refusing to send the token there");
        }
        // Real nextLinks say :443 where kids do not; keep our own origin.
        std::string rest = link.substr(link.find('/', 8));
        url = WithApiVersion(vault_.origin() + rest, options_.api_version);
        if (!seen.insert(url).second) {
            return Status(ErrorCode::kBadResponse, detail::ContextPrefix(ctx) +
                                                       "nextLink repeats an earlier page; "
                                                       "stopping instead of looping");
        }
    }
    return Status(ErrorCode::kBadResponse, detail::ContextPrefix(ctx) + "more than " +
                                               std::to_string(max_pages) + " pages; stopping");
}

StatusOr<std::vector<KeyItem>> Client::ListKeys(int max_pages) {
    return ListPaged("/keys?maxresults=25", "list", "", max_pages);
}

StatusOr<std::vector<KeyItem>> Client::ListKeyVersions(const std::string& name, int max_pages) {
    return ListPaged("/keys/" + name + "/versions?maxresults=25", "list", name, max_pages);
}

StatusOr<KeyBundle> Client::CreateKey(const std::string& name, const CreateKeyParams& params) {
    json body = detail::CreateKeyBody(params);
    AZKV_ASSIGN_OR_RETURN(json j, Call("POST", "/keys/" + name + "/create", &body, "create", name));
    ErrorContext ctx{vault_.origin(), "create", name};
    AZKV_ASSIGN_OR_RETURN(KeyBundle b, Labelled(detail::ParseKeyBundle(j), ctx));
    AZKV_RETURN_IF_ERROR(CheckKid(b.key.kid, name, "", "create"));
    return b;
}

StatusOr<KeyBundle> Client::ImportKey(const std::string& name, const json& key,
                                      std::optional<bool> hsm, const UpdateKeyParams& attrs) {
    json body = detail::UpdateKeyBody(attrs);
    body["key"] = key;
    if (hsm)
        body["Hsm"] = *hsm;
    std::string text = body.dump();
    body.clear();
    auto j = CallUrl("PUT", Url("/keys/" + name), &text, /*body_is_secret=*/true, "import", name);
    SecureWipe(text.data(), text.size());
    if (!j.ok())
        return j.status();
    ErrorContext ctx{vault_.origin(), "import", name};
    AZKV_ASSIGN_OR_RETURN(KeyBundle b, Labelled(detail::ParseKeyBundle(*j), ctx));
    AZKV_RETURN_IF_ERROR(CheckKid(b.key.kid, name, "", "import"));
    return b;
}

StatusOr<KeyBundle> Client::UpdateKey(const std::string& name, const std::string& version,
                                      const UpdateKeyParams& params) {
    json body = detail::UpdateKeyBody(params);
    std::string path = "/keys/" + name + (version.empty() ? "" : "/" + version);
    AZKV_ASSIGN_OR_RETURN(json j, Call("PATCH", path, &body, "update", name));
    ErrorContext ctx{vault_.origin(), "update", name};
    return Labelled(detail::ParseKeyBundle(j), ctx);
}

Status Client::DeleteKey(const std::string& name) {
    auto j = Call("DELETE", "/keys/" + name, nullptr, "delete", name);
    return j.ok() ? Status::Ok() : j.status();
}

namespace {

// The flat fast path first; nlohmann (and its errors) for any answer outside that subset, with
// the DOM's copy of "value" wiped after use.
StatusOr<KeyOperationResult> ReadOperationResult(http::Response& resp, const ErrorContext& ctx) {
    if (auto flat = detail::FlatStringObject::Read(resp.body))
        return Labelled(detail::ParseOperationResult(*flat), ctx);
    AZKV_ASSIGN_OR_RETURN(json j, ParseBody(resp, ctx));
    auto r = Labelled(detail::ParseOperationResult(j), ctx);
    if (auto v = j.is_object() ? j.find("value") : j.end(); v != j.end() && v->is_string()) {
        std::string& text = v->get_ref<std::string&>();
        SecureWipe(text.data(), text.size());
    }
    return r;
}

}  // namespace

StatusOr<KeyOperationResult> Client::OperationAnswer(http::Response& resp, bool secret,
                                                     const std::string& operation,
                                                     const std::string& name,
                                                     const std::string& version) {
    ErrorContext ctx{vault_.origin(), operation, name, kind() == ServiceKind::kManagedHsm};
    StatusOr<KeyOperationResult> r = ReadOperationResult(resp, ctx);
    if (secret)
        SecureWipe(resp.body.data(), resp.body.size());
    if (r.ok() && !r->kid.empty())
        AZKV_RETURN_IF_ERROR(CheckKid(r->kid, name, version, operation));
    return r;
}

StatusOr<KeyOperationResult> Client::Sign(const std::string& name, const std::string& version,
                                          const std::string& alg,
                                          const std::vector<uint8_t>& digest) {
    std::string body =
        detail::WriteStringObject({{"alg", alg}, {"value", Base64UrlEncode(digest)}});
    AZKV_ASSIGN_OR_RETURN(http::Response resp,
                          CallRaw("POST", Url("/keys/" + name + "/" + version + "/sign"), &body,
                                  false, "sign", name));
    return OperationAnswer(resp, false, "sign", name, version);
}

StatusOr<bool> Client::Verify(const std::string& name, const std::string& version,
                              const std::string& alg, const std::vector<uint8_t>& digest,
                              const std::vector<uint8_t>& signature) {
    json body = {
        {"alg", alg}, {"digest", Base64UrlEncode(digest)}, {"value", Base64UrlEncode(signature)}};
    AZKV_ASSIGN_OR_RETURN(
        json j, Call("POST", "/keys/" + name + "/" + version + "/verify", &body, "verify", name));
    auto v = j.is_object() ? j.find("value") : j.end();
    if (!j.is_object() || v == j.end() || !v->is_boolean()) {
        ErrorContext ctx{vault_.origin(), "verify", name};
        return Status(ErrorCode::kBadResponse,
                      detail::ContextPrefix(ctx) + "the answer lacks a boolean \"value\"");
    }
    return v->get<bool>();
}

StatusOr<KeyOperationResult> Client::Cipher(const std::string& operation, const std::string& name,
                                            const std::string& version, const CipherInput& in) {
    std::string value = Base64UrlEncode(in.value, in.value_len);
    std::string iv = Base64UrlEncode(in.iv);
    std::string aad = Base64UrlEncode(in.aad);
    std::string tag = Base64UrlEncode(in.tag);
    std::array<detail::StringField, 5> fields;
    size_t n = 0;
    fields[n++] = {"alg", in.alg};
    fields[n++] = {"value", value};
    for (auto [field, text] : {std::pair{"iv", &iv}, {"aad", &aad}, {"tag", &tag}}) {
        if (!text->empty())
            fields[n++] = {field, *text};
    }
    // Plaintext going out (encrypt, wrap) is secret; so is what comes back from decrypt.
    bool secret = operation == "encrypt" || operation == "wrapkey";
    std::string body = detail::WriteStringObject(fields.data(), n);
    if (secret)
        SecureWipe(value.data(), value.size());
    auto resp = CallRaw("POST", Url("/keys/" + name + "/" + version + "/" + operation), &body,
                        secret, operation, name, in.quiet_statuses);
    SecureWipe(body.data(), body.size());
    if (!resp.ok())
        return resp.status();
    return OperationAnswer(*resp, AnswerIsSecret(operation, secret), operation, name, version);
}

StatusOr<CertificateBundle> Client::GetCertificate(const std::string& name,
                                                   const std::string& version) {
    std::string path = "/certificates/" + name + (version.empty() ? "" : "/" + version);
    AZKV_ASSIGN_OR_RETURN(json j, Call("GET", path, nullptr, "certificates/get", name));
    ErrorContext ctx{vault_.origin(), "certificates/get", name};
    return Labelled(detail::ParseCertificateBundle(j), ctx);
}

StatusOr<SecretBundle> Client::GetSecret(const std::string& name, const std::string& version) {
    std::string path = "/secrets/" + name + (version.empty() ? "" : "/" + version);
    AZKV_ASSIGN_OR_RETURN(json j, Call("GET", path, nullptr, "secrets/get", name));
    ErrorContext ctx{vault_.origin(), "secrets/get", name};
    return Labelled(detail::ParseSecretBundle(j), ctx);
}

StatusOr<SecureBytes> Client::GetRandomBytes(int count) {
    ErrorContext ctx{vault_.origin(), "rng", ""};
    if (count < 1 || static_cast<size_t>(count) > kMaxRngCount) {
        return Status(ErrorCode::kInvalidArgument,
                      detail::ContextPrefix(ctx) + "count must be 1 to 128 bytes per request");
    }
    json body = {{"count", count}};
    AZKV_ASSIGN_OR_RETURN(json j, Call("POST", "/rng", &body, "rng", ""));
    auto v = j.is_object() ? j.find("value") : j.end();
    if (!j.is_object() || v == j.end() || !v->is_string()) {
        return Status(ErrorCode::kBadResponse,
                      detail::ContextPrefix(ctx) + "the answer lacks \"value\"");
    }
    auto bytes = Base64UrlDecodeSecure(v->get<std::string>());
    if (!bytes || bytes->size() != static_cast<size_t>(count)) {
        return Status(ErrorCode::kBadResponse, detail::ContextPrefix(ctx) + "asked for " +
                                                   std::to_string(count) +
                                                   " random bytes and got something else");
    }
    return std::move(*bytes);
}

}  // namespace azkv::keyvault
