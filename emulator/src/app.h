// Process-wide state shared by every listener. Built once in main(), then read concurrently;
// the members that change at runtime synchronise themselves.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cert_store.h"
#include "faults.h"
#include "key_store.h"
#include "ops_log.h"
#include "options.h"
#include "rbac.h"
#include "stats.h"
#include "throttle.h"
#include "tls_setup.h"
#include "tokens.h"

namespace azkv::emu {

struct VaultContext {
    std::string name;
    Flavor flavor = Flavor::Vault;
    int port = 0;
    std::string origin;  // "https://localhost:PORT": kid, nextLink and the challenge use it
    std::unique_ptr<KeyStore> keys;
    std::unique_ptr<CertStore> certs;  // Key Vault only (Managed HSM has no certificates)

    bool mhsm() const { return flavor == Flavor::Mhsm; }
    // The public-cloud audience a real token for this flavor carries.
    const char* cloud_resource() const {
        return mhsm() ? "https://managedhsm.azure.net" : "https://vault.azure.net";
    }
};

struct App {
    explicit App(Options o) : opts(std::move(o)), tokens(opts.token_ttl) {}

    Options opts;
    TlsFiles tls;
    TokenService tokens;
    Stats stats;
    Faults faults;
    OpsLog ops_log;
    Rbac rbac;
    Throttle throttle;
    std::vector<std::unique_ptr<VaultContext>> vaults;

    // Filled once the identity listeners are bound.
    std::string identity_url, sts_url;
    std::string app_service_secret;  // X-IDENTITY-HEADER value
    std::string arc_token_dir;
    std::string workload_token_file;
    std::string workload_assertion;  // contents of workload_token_file
};

}  // namespace azkv::emu
