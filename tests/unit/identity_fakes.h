#pragma once
// Fakes shared by the identity unit tests: a scripted transport, an environment, a temp dir.

#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "azkv/identity/sources.h"

namespace azkv::identity::testing {

inline http::Response Answer(long status, std::string body,
                             std::vector<http::Header> headers = {}) {
    http::Response r;
    r.status = status;
    r.body = std::move(body);
    r.headers = std::move(headers);
    return r;
}

// Answers requests from a script, in order, and records what was sent.
class FakeHttp {
public:
    void Push(StatusOr<http::Response> answer) {
        std::lock_guard<std::mutex> lock(mu_);
        answers_.push_back(std::move(answer));
    }
    HttpSend send() {
        return [this](const http::Request& req, const http::RetryPolicy& policy) {
            std::lock_guard<std::mutex> lock(mu_);
            requests_.push_back(req);
            retries_404_.push_back(policy.RetryableStatus(404));
            if (answers_.empty()) {
                return StatusOr<http::Response>(
                    Status(ErrorCode::kUnavailable, "connection refused"));
            }
            StatusOr<http::Response> a = std::move(answers_.front());
            answers_.pop_front();
            return a;
        };
    }
    std::vector<http::Request> requests() {
        std::lock_guard<std::mutex> lock(mu_);
        return requests_;
    }
    // Whether the policy each request was sent with retries IMDS's 404.
    std::vector<bool> retries_404() {
        std::lock_guard<std::mutex> lock(mu_);
        return retries_404_;
    }

private:
    std::mutex mu_;
    std::deque<StatusOr<http::Response>> answers_;
    std::vector<http::Request> requests_;
    std::vector<bool> retries_404_;
};

inline EnvLookup Env(std::map<std::string, std::string> vars) {
    return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
        auto it = vars.find(name);
        if (it == vars.end())
            return std::nullopt;
        return it->second;
    };
}

inline SourceContext Context(FakeHttp& http, std::map<std::string, std::string> env = {}) {
    SourceContext ctx;
    ctx.send = http.send();
    ctx.env = Env(std::move(env));
    ctx.retry_budget = std::chrono::milliseconds(1000);
    return ctx;
}

// The value of header `name` in `req`, secret or not; "" when absent.
inline std::string HeaderOf(const http::Request& req, const std::string& name) {
    for (const auto& h : req.headers) {
        if (h.name == name)
            return h.value;
    }
    for (const auto& [n, v] : req.secret_headers) {
        if (n == name)
            return std::string(v.reveal());
    }
    return "";
}

inline bool IsSecretHeader(const http::Request& req, const std::string& name) {
    for (const auto& [n, v] : req.secret_headers) {
        if (n == name)
            return true;
    }
    return false;
}

// The raw (still encoded) value of query parameter `name`, or "<absent>".
inline std::string QueryOf(const std::string& url, const std::string& name) {
    size_t q = url.find('?');
    if (q == std::string::npos)
        return "<absent>";
    std::string query = url.substr(q + 1);
    size_t start = 0;
    while (start <= query.size()) {
        size_t end = query.find('&', start);
        if (end == std::string::npos)
            end = query.size();
        std::string pair = query.substr(start, end - start);
        size_t eq = pair.find('=');
        if (pair.substr(0, eq) == name)
            return eq == std::string::npos ? "" : pair.substr(eq + 1);
        start = end + 1;
    }
    return "<absent>";
}

class TempDir {
public:
    TempDir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "azkv-ident-XXXXXX").string();
        path_ = ::mkdtemp(tmpl.data()) ? tmpl : "";
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }
    std::string Write(const std::string& name, const std::string& content, int mode = 0600) const {
        std::string p = path_ + "/" + name;
        std::ofstream(p, std::ios::binary) << content;
        std::filesystem::permissions(p, static_cast<std::filesystem::perms>(mode));
        return p;
    }

private:
    std::string path_;
};

// A wall-clock time in the local zone, as the Azure CLI prints it.
inline SystemClock::time_point LocalTime(int year, int month, int day, int h, int m, int s) {
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = h;
    tm.tm_min = m;
    tm.tm_sec = s;
    tm.tm_isdst = -1;
    return SystemClock::from_time_t(mktime(&tm));
}

constexpr const char* kToken = "eyJ0eXAi.TOKEN-VALUE-must-not-leak.sig";

inline std::string ImdsBody(long expires_in = 3600) {
    return std::string(R"({"access_token":")") + kToken + R"(","refresh_token":"","expires_in":")" +
           std::to_string(expires_in) + R"(","expires_on":"1","not_before":"1",)" +
           R"("resource":"https://vault.azure.net","token_type":"Bearer"})";
}

}  // namespace azkv::identity::testing
