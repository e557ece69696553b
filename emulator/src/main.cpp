// azkv-emulator: a local Azure Key Vault + Managed HSM + managed-identity service with fault
// injection, for tests, demos and benchmarks. Shares no code with the client (core/) on purpose:
// a stand-in built from the client's code would repeat the client's mistakes.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <vector>

#include "app.h"
#include "certs_api.h"
#include "control.h"
#include "dispatch.h"
#include "fsutil.h"
#include "identity_endpoints.h"
#include "ids.h"
#include "keys_api.h"
#include "log.h"
#include "server.h"

using namespace azkv::emu;

namespace {

std::string loopback_host(const std::string& bind) {
    return (bind == "0.0.0.0" || bind == "::" || bind.empty()) ? "127.0.0.1" : bind;
}

nlohmann::json ready_json(const App& app) {
    nlohmann::json ids = nlohmann::json::array();
    for (auto& id : identities())
        ids.push_back({{"name", id.name},
                       {"client_id", id.client_id},
                       {"object_id", id.object_id},
                       {"resource_id", id.resource_id}});
    nlohmann::json vaults = nlohmann::json::object();
    for (auto& v : app.vaults)
        vaults[v->name] = {
            {"url", v->origin}, {"flavor", flavor_name(v->flavor)}, {"resource", v->origin}};
    return {{"pid", getpid()},
            {"ca_file", app.tls.ca_file},
            {"tenant", kTenant},
            {"identity_url", app.identity_url},
            {"sts_url", app.sts_url},
            {"imds_endpoint", app.identity_url},
            {"app_service",
             {{"endpoint", app.identity_url + "/msi/token"}, {"header", app.app_service_secret}}},
            {"arc",
             {{"endpoint", app.identity_url + "/arc/identity/oauth2/token"},
              {"imds_endpoint", app.identity_url},
              {"token_dir", app.arc_token_dir}}},
            {"workload",
             {{"authority_host", app.sts_url + "/"},
              {"client_id", workload_identity().client_id},
              {"token_file", app.workload_token_file}}},
            {"identities", ids},
            {"vaults", vaults}};
}

int run(Options opts) {
    make_dirs(opts.state_dir);
    opts.state_dir = absolute_path(opts.state_dir);
    auto app = std::make_unique<App>(opts);
    set_log_level(opts.log_level);
    app->tls = ensure_tls(opts.state_dir, opts.hosts);
    if (!opts.rbac_file.empty())
        app->rbac.load(opts.rbac_file);
    app->throttle.enable(opts.throttle);
    if (!opts.faults.empty())
        app->faults.merge(opts.faults);
    if (!opts.ops_log.empty() && !app->ops_log.open(opts.ops_log))
        throw std::runtime_error("cannot open ops log " + opts.ops_log);
    prepare_identity_state(*app);

    VaultRouter router;
    register_keys_api(router);
    register_certs_api(router);

    App& a = *app;
    std::vector<std::unique_ptr<Listener>> listeners;
    for (auto& spec : opts.vaults) {
        auto v = std::make_unique<VaultContext>();
        v->name = spec.name;
        v->flavor = spec.flavor;
        v->keys = std::make_unique<KeyStore>(opts.state_dir + "/vaults/" + spec.name + "/keys",
                                             spec.flavor == Flavor::Mhsm ? 90 : 7);
        v->keys->load();
        v->certs = std::make_unique<CertStore>(spec.flavor == Flavor::Mhsm
                                                   ? ""
                                                   : opts.state_dir + "/vaults/" + spec.name +
                                                         "/certificates");
        v->certs->load();
        VaultContext* vp = v.get();
        auto l = std::make_unique<Listener>(
            a, true,
            [&a, vp, &router](const httplib::Request& req, httplib::Response& res) {
                if (!handle_control(a, req, res))
                    handle_vault_request(a, *vp, router, req, res);
            },
            [&a, name = spec.name] { a.stats.count_vault_connection(name); });
        v->port = l->bind(opts.bind, spec.port);
        v->origin = "https://localhost:" + std::to_string(v->port);
        app->vaults.push_back(std::move(v));
        listeners.push_back(std::move(l));
    }
    auto identity_handler = [&a](const httplib::Request& req, httplib::Response& res) {
        if (!handle_control(a, req, res))
            handle_identity_request(a, req, res);
    };
    auto count_identity = [&a] { a.stats.count_identity_connection(); };
    auto http_id = std::make_unique<Listener>(a, false, identity_handler, count_identity);
    app->identity_url = "http://" + loopback_host(opts.bind) + ":" +
                        std::to_string(http_id->bind(opts.bind, opts.identity_port));
    auto sts = std::make_unique<Listener>(a, true, identity_handler, count_identity);
    app->sts_url = "https://localhost:" + std::to_string(sts->bind(opts.bind, opts.sts_port));
    listeners.push_back(std::move(http_id));
    listeners.push_back(std::move(sts));
    for (auto& l : listeners)
        l->start();

    if (!opts.ready_file.empty())
        write_file_atomic(opts.ready_file, ready_json(*app).dump(2) + "\n");
    log_line(LogLevel::Info, "ready");

    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    int sig = 0;
    sigwait(&set, &sig);
    log_line(LogLevel::Info, "stopping on signal " + std::to_string(sig));
    for (auto& l : listeners)
        l->stop();
    listeners.clear();  // joins the accept loops
    if (!opts.ready_file.empty())
        std::remove(opts.ready_file.c_str());
    app->ops_log.close();
    std::fflush(nullptr);
    // Keep-alive connection threads may still be parked in httplib; state is written through on
    // every change, so leave without running destructors under their feet.
    _exit(0);
}

}  // namespace

int main(int argc, char** argv) {
    // Signals are taken synchronously by main() (sigwait); every thread inherits this mask.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    signal(SIGPIPE, SIG_IGN);
    Options opts;
    try {
        if (!parse_options(argc, argv, opts))
            return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "azkv-emulator: %s (see --help)\n", e.what());
        return 2;
    }
    set_clock_skew_s(opts.clock_skew_s);
    try {
        return run(std::move(opts));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "azkv-emulator: %s\n", e.what());
        return 1;
    }
}
