// Test harness for azkv-emulator: starts the binary with a fresh state dir and ephemeral ports,
// waits for its ready file, and offers HTTP helpers that always verify TLS against the
// emulator's CA. Used by tests/emulator and by the client's integration tests.
//
//   azkv::testing::EmulatorProcess emu({.vaults = {"demo:vault", "hsm:mhsm"}});
//   std::string token = emu.GetToken(emu.Vault("demo").url);
//   auto r = emu.Request("POST", emu.Vault("demo").url + "/keys/k/create?api-version=7.5",
//                        R"({"kty":"EC"})", token);
//   ASSERT_EQ(r.status, 200);
#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace azkv::testing {

struct EmulatorOptions {
    // "NAME[:FLAVOR]" (port 0 is added) or "NAME:FLAVOR:PORT".
    std::vector<std::string> vaults = {"demo:vault"};
    std::vector<std::string> extra_args;  // e.g. {"--token-ttl", "1", "--throttle"}
    // Reuse this state dir (restart tests); empty = a fresh temp dir, removed at destruction.
    std::string state_dir;
    bool keep_state_dir = false;
};

struct IdentityInfo {
    std::string name, client_id, object_id, resource_id;
};

struct VaultInfo {
    std::string name, url, flavor, resource;
};

// The parsed ready file.
struct ReadyInfo {
    int pid = 0;
    std::string ca_file, tenant, identity_url, sts_url, imds_endpoint;
    std::string app_service_endpoint, app_service_header;
    std::string arc_endpoint, arc_imds_endpoint, arc_token_dir;
    std::string workload_authority_host, workload_client_id, workload_token_file;
    std::vector<IdentityInfo> identities;
    std::map<std::string, VaultInfo> vaults;
    nlohmann::json raw;
};

struct HttpResponse {
    long status = 0;                                  // 0 = transport failure (see error)
    std::multimap<std::string, std::string> headers;  // names lower-cased
    std::string body;
    std::string error;  // curl error text on transport failure

    std::string Header(const std::string& lower_name) const;  // "" if absent
    bool HasHeader(const std::string& lower_name) const { return headers.count(lower_name) > 0; }
    nlohmann::json Json() const;  // discarded value if the body is not JSON
};

// One keep-alive connection (a libcurl easy handle). Not thread-safe: one per thread.
class HttpSession {
public:
    explicit HttpSession(std::string ca_file);
    ~HttpSession();
    HttpSession(const HttpSession&) = delete;
    HttpSession& operator=(const HttpSession&) = delete;

    // token: sent as "Authorization: Bearer <token>" when non-empty.
    // headers: extra "Name: value" lines. A body is sent for any method when non-empty, and
    // POST/PUT/PATCH always send Content-Length (0 when empty), like the Azure SDKs.
    HttpResponse Request(const std::string& method, const std::string& url,
                         const std::string& body = "", const std::string& token = "",
                         const std::vector<std::string>& headers = {}, long timeout_ms = 30000);

private:
    std::string ca_file_;
    void* curl_;
};

class EmulatorProcess {
public:
    explicit EmulatorProcess(EmulatorOptions options = {});
    ~EmulatorProcess();  // SIGTERM, SIGKILL after 5 s; removes a temp state dir
    EmulatorProcess(const EmulatorProcess&) = delete;
    EmulatorProcess& operator=(const EmulatorProcess&) = delete;

    const ReadyInfo& Info() const { return info_; }
    const VaultInfo& Vault(const std::string& name) const;  // throws if unknown
    const std::string& StateDir() const { return state_dir_; }
    pid_t Pid() const { return pid_; }

    // Token from the IMDS endpoint. identity: "" (system), an identity name, or a client id.
    std::string GetToken(const std::string& resource, const std::string& identity = "");
    HttpResponse Request(const std::string& method, const std::string& url,
                         const std::string& body = "", const std::string& token = "",
                         const std::vector<std::string>& headers = {});

    nlohmann::json Stats();
    void ResetStats();
    void SetFaults(const nlohmann::json& faults);  // POST (merge)
    void ClearFaults();                            // DELETE
    void RevokeTokens();

    // SIGTERM and wait; returns the exit status (as from waitpid's WEXITSTATUS, -1 if killed).
    int Stop();
    // Stop, then start again with the same state dir and options.
    void Restart();

private:
    void Start();
    std::string ControlUrl() const;

    EmulatorOptions options_;
    std::string state_dir_, ready_file_;
    bool temp_state_ = false;
    pid_t pid_ = -1;
    ReadyInfo info_;
    std::mutex mu_;
    std::unique_ptr<HttpSession> session_;
};

}  // namespace azkv::testing
