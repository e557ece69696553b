#include "raw_http.h"

namespace azkv::bench {

namespace {

size_t Append(char* data, size_t size, size_t nmemb, void* user) {
    static_cast<std::string*>(user)->append(data, size * nmemb);
    return size * nmemb;
}

}  // namespace

RawHttp::RawHttp(std::string ca_file) : h_(curl_easy_init()), ca_file_(std::move(ca_file)) {}

RawHttp::~RawHttp() {
    curl_easy_cleanup(h_);
}

RawResponse RawHttp::Perform(curl_slist* headers) {
    RawResponse r;
    curl_easy_setopt(h_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h_, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(h_, CURLOPT_TIMEOUT_MS, 30000L);
    if (!ca_file_.empty())
        curl_easy_setopt(h_, CURLOPT_CAINFO, ca_file_.c_str());
    curl_easy_setopt(h_, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(h_, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h_, CURLOPT_WRITEFUNCTION, &Append);
    curl_easy_setopt(h_, CURLOPT_WRITEDATA, &r.body);
    CURLcode rc = curl_easy_perform(h_);
    curl_easy_setopt(h_, CURLOPT_HTTPHEADER, nullptr);
    long n = 0;
    if (curl_easy_getinfo(h_, CURLINFO_NUM_CONNECTS, &n) == CURLE_OK)
        connects_ += n;
    if (rc != CURLE_OK) {
        r.error = curl_easy_strerror(rc);
        return r;
    }
    curl_easy_getinfo(h_, CURLINFO_RESPONSE_CODE, &r.status);
    return r;
}

RawResponse RawHttp::Get(const std::string& url, const std::string& header) {
    curl_slist* headers = header.empty() ? nullptr : curl_slist_append(nullptr, header.c_str());
    curl_easy_setopt(h_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h_, CURLOPT_HTTPGET, 1L);
    RawResponse r = Perform(headers);
    curl_slist_free_all(headers);
    return r;
}

RawResponse RawHttp::Post(const std::string& url, const std::string& body,
                          const std::string& bearer_token) {
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Expect:");
    headers = curl_slist_append(headers, ("Authorization: Bearer " + bearer_token).c_str());
    curl_easy_setopt(h_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h_, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(h_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    RawResponse r = Perform(headers);
    curl_slist_free_all(headers);
    return r;
}

std::string FetchImdsToken(RawHttp& http, const std::string& imds, const std::string& resource,
                           std::string& error) {
    RawResponse r = http.Get(
        imds + "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=" + resource,
        "Metadata: true");
    if (r.status != 200) {
        error = "token request: " + (r.status != 0 ? "HTTP " + std::to_string(r.status) : r.error);
        return "";
    }
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    if (!j.is_object() || !j.contains("access_token")) {
        error = "token request: no access_token in the answer";
        return "";
    }
    return j["access_token"].get<std::string>();
}

nlohmann::json FetchStats(const std::string& stats_url) {
    RawHttp http("");
    RawResponse r = http.Get(stats_url);
    if (r.status != 200)
        return nlohmann::json::object();
    return nlohmann::json::parse(r.body, nullptr, false);
}

}  // namespace azkv::bench
