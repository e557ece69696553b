#pragma once
// Plain libcurl requests for the contenders that bypass azkv (the limit and the peer model) and
// for reading the emulator's counters. TLS verification stays on, against the emulator's CA.

#include <curl/curl.h>

#include <string>

#include <nlohmann/json.hpp>

namespace azkv::bench {

struct RawResponse {
    long status = 0;  // 0: transport failure, see error
    std::string body;
    std::string error;
};

// One easy handle: its connection stays open between requests (keep-alive), as a tuned client
// would do it. Not thread safe; one per thread.
class RawHttp {
public:
    explicit RawHttp(std::string ca_file);
    ~RawHttp();
    RawHttp(const RawHttp&) = delete;
    RawHttp& operator=(const RawHttp&) = delete;

    RawResponse Get(const std::string& url, const std::string& header = "");
    RawResponse Post(const std::string& url, const std::string& body,
                     const std::string& bearer_token);
    long connects() const { return connects_; }  // new TCP connections opened so far

private:
    RawResponse Perform(curl_slist* headers);
    CURL* h_;
    std::string ca_file_;
    long connects_ = 0;
};

// A managed-identity token from an IMDS endpoint ("" and `error` set on failure).
std::string FetchImdsToken(RawHttp& http, const std::string& imds, const std::string& resource,
                           std::string& error);

// The emulator's counters, read from a plain-HTTP listener so that reading them opens no TLS
// connection on the vault listener and costs no vault request.
nlohmann::json FetchStats(const std::string& stats_url);

}  // namespace azkv::bench
