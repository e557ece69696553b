#include "emulator_process.h"

#include <curl/curl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#ifndef AZKV_EMULATOR_PATH
#error "AZKV_EMULATOR_PATH must point at the azkv-emulator binary"
#endif

namespace azkv::testing {
namespace {

std::string lower(std::string s) {
    for (auto& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

size_t on_body(char* p, size_t size, size_t n, void* ud) {
    static_cast<std::string*>(ud)->append(p, size * n);
    return size * n;
}

size_t on_header(char* p, size_t size, size_t n, void* ud) {
    auto* headers = static_cast<std::multimap<std::string, std::string>*>(ud);
    std::string line(p, size * n);
    if (line.rfind("HTTP/", 0) == 0)
        headers->clear();  // keep only the final response's headers
    auto colon = line.find(':');
    if (colon != std::string::npos) {
        std::string value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' '))
            value.erase(0, 1);
        while (!value.empty() && (value.back() == '\r' || value.back() == '\n'))
            value.pop_back();
        headers->emplace(lower(line.substr(0, colon)), value);
    }
    return size * n;
}

struct CurlInit {
    CurlInit() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

std::string make_temp_dir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "azkv-emu-XXXXXX").string();
    if (!mkdtemp(tmpl.data()))
        throw std::runtime_error("mkdtemp failed");
    return tmpl;
}

ReadyInfo parse_ready(const nlohmann::json& j) {
    ReadyInfo r;
    r.raw = j;
    r.pid = j.at("pid");
    r.ca_file = j.at("ca_file");
    r.tenant = j.at("tenant");
    r.identity_url = j.at("identity_url");
    r.sts_url = j.at("sts_url");
    r.imds_endpoint = j.at("imds_endpoint");
    r.app_service_endpoint = j.at("app_service").at("endpoint");
    r.app_service_header = j.at("app_service").at("header");
    r.arc_endpoint = j.at("arc").at("endpoint");
    r.arc_imds_endpoint = j.at("arc").at("imds_endpoint");
    r.arc_token_dir = j.at("arc").at("token_dir");
    r.workload_authority_host = j.at("workload").at("authority_host");
    r.workload_client_id = j.at("workload").at("client_id");
    r.workload_token_file = j.at("workload").at("token_file");
    for (auto& id : j.at("identities"))
        r.identities.push_back(
            {id.at("name"), id.at("client_id"), id.at("object_id"), id.at("resource_id")});
    for (auto& [name, v] : j.at("vaults").items())
        r.vaults[name] = {name, v.at("url"), v.at("flavor"), v.at("resource")};
    return r;
}

}  // namespace

std::string HttpResponse::Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? "" : it->second;
}

nlohmann::json HttpResponse::Json() const {
    return nlohmann::json::parse(body, nullptr, false);
}

HttpSession::HttpSession(std::string ca_file) : ca_file_(std::move(ca_file)) {
    static CurlInit init;
    curl_ = curl_easy_init();
}

HttpSession::~HttpSession() {
    curl_easy_cleanup(static_cast<CURL*>(curl_));
}

HttpResponse HttpSession::Request(const std::string& method, const std::string& url,
                                  const std::string& body, const std::string& token,
                                  const std::vector<std::string>& headers, long timeout_ms) {
    CURL* c = static_cast<CURL*>(curl_);
    HttpResponse resp;
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_CAINFO, ca_file_.c_str());
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
    curl_easy_setopt(c, CURLOPT_NOBODY, method == "HEAD" ? 1L : 0L);
    bool send_body = !body.empty() || method == "POST" || method == "PUT" || method == "PATCH";
    if (send_body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    } else {
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
    }
    curl_slist* list = nullptr;
    list = curl_slist_append(list, "Content-Type: application/json");
    list = curl_slist_append(list, "Expect:");
    if (!token.empty())
        list = curl_slist_append(list, ("Authorization: Bearer " + token).c_str());
    for (auto& h : headers)
        list = curl_slist_append(list, h.c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &resp.body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &resp.headers);
    CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(list);
    if (rc != CURLE_OK) {
        resp.status = 0;
        resp.error = curl_easy_strerror(rc);
    } else {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp.status);
    }
    return resp;
}

EmulatorProcess::EmulatorProcess(EmulatorOptions options) : options_(std::move(options)) {
    if (options_.state_dir.empty()) {
        state_dir_ = make_temp_dir();
        temp_state_ = !options_.keep_state_dir;
    } else {
        state_dir_ = options_.state_dir;
    }
    Start();
}

EmulatorProcess::~EmulatorProcess() {
    session_.reset();
    Stop();
    if (temp_state_) {
        std::error_code ec;
        std::filesystem::remove_all(state_dir_, ec);
    }
}

void EmulatorProcess::Start() {
    ready_file_ = state_dir_ + "/ready.json";
    std::filesystem::remove(ready_file_);
    std::vector<std::string> args = {AZKV_EMULATOR_PATH,
                                     "--state-dir",
                                     state_dir_,
                                     "--ready-file",
                                     ready_file_,
                                     "--identity-port",
                                     "0",
                                     "--sts-port",
                                     "0"};
    for (auto& v : options_.vaults) {
        size_t colons = static_cast<size_t>(std::count(v.begin(), v.end(), ':'));
        args.push_back("--vault");
        args.push_back(colons == 0 ? v + ":vault:0" : colons == 1 ? v + ":0" : v);
    }
    for (auto& a : options_.extra_args)
        args.push_back(a);
    pid_ = fork();
    if (pid_ < 0)
        throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        std::vector<char*> argv;
        for (auto& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        _exit(127);
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (true) {
        std::ifstream in(ready_file_);
        if (in) {
            std::stringstream ss;
            ss << in.rdbuf();
            auto j = nlohmann::json::parse(ss.str(), nullptr, false);
            if (!j.is_discarded()) {
                info_ = parse_ready(j);
                break;
            }
        }
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            throw std::runtime_error("azkv-emulator exited before it was ready");
        }
        if (std::chrono::steady_clock::now() > deadline) {
            kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
            pid_ = -1;
            throw std::runtime_error("azkv-emulator did not write its ready file within 10 s");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    session_ = std::make_unique<HttpSession>(info_.ca_file);
}

int EmulatorProcess::Stop() {
    if (pid_ <= 0)
        return -1;
    kill(pid_, SIGTERM);
    int status = 0;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (waitpid(pid_, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            kill(pid_, SIGKILL);
            waitpid(pid_, &status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void EmulatorProcess::Restart() {
    session_.reset();
    Stop();
    Start();
}

const VaultInfo& EmulatorProcess::Vault(const std::string& name) const {
    auto it = info_.vaults.find(name);
    if (it == info_.vaults.end())
        throw std::runtime_error("no vault " + name);
    return it->second;
}

std::string EmulatorProcess::ControlUrl() const {
    return info_.identity_url + "/_emulator";
}

HttpResponse EmulatorProcess::Request(const std::string& method, const std::string& url,
                                      const std::string& body, const std::string& token,
                                      const std::vector<std::string>& headers) {
    std::lock_guard lk(mu_);
    return session_->Request(method, url, body, token, headers);
}

std::string EmulatorProcess::GetToken(const std::string& resource, const std::string& identity) {
    std::string url = info_.identity_url +
                      "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=" + resource;
    if (!identity.empty()) {
        std::string client_id = identity;
        for (auto& id : info_.identities)
            if (id.name == identity)
                client_id = id.client_id;
        url += "&client_id=" + client_id;
    }
    auto r = Request("GET", url, "", "", {"Metadata: true"});
    if (r.status != 200)
        throw std::runtime_error("token request failed: " + std::to_string(r.status) + " " +
                                 r.body);
    return r.Json().at("access_token");
}

nlohmann::json EmulatorProcess::Stats() {
    return Request("GET", ControlUrl() + "/stats").Json();
}
void EmulatorProcess::ResetStats() {
    Request("POST", ControlUrl() + "/stats/reset");
}

void EmulatorProcess::SetFaults(const nlohmann::json& faults) {
    auto r = Request("POST", ControlUrl() + "/faults", faults.dump());
    if (r.status != 200)
        throw std::runtime_error("SetFaults failed: " + r.body);
}

void EmulatorProcess::ClearFaults() {
    Request("DELETE", ControlUrl() + "/faults");
}
void EmulatorProcess::RevokeTokens() {
    Request("POST", ControlUrl() + "/revoke-tokens");
}

}  // namespace azkv::testing
