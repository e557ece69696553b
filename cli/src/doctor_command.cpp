// azkv doctor: the checks in order; later steps run only where earlier ones passed.
#include <algorithm>

#include "command.h"
#include "doctor.h"

namespace azkv::cli {

int RunDoctor(const std::vector<std::string>& argv) {
    int rc = 0;
    auto args = ParseOrUsage(argv, CommonFlags({"--key", "--timeout-ms"}), {"--no-key-scan"}, rc);
    if (!args)
        return rc;
    DoctorOptions opts;
    opts.config_path = args->GetOr("--config", "");
    opts.key = args->GetOr("--key", "");
    opts.timeout =
        std::chrono::milliseconds(std::atol(args->GetOr("--timeout-ms", "3000").c_str()));
    Checklist out(WantJson(*args));
    auto config = CheckConfig(opts, out);
    if (!config)
        return out.Finish();
    if (auto ca = args->Get("--ca-file"))
        config->http.ca_file = *ca;
    // Short budgets: a diagnosis should say what is wrong, not wait out the retry budget.
    config->http.retry_budget_ms = std::min<long>(config->http.retry_budget_ms, 5000);
    config->http.connect_timeout_ms = opts.timeout.count();
    config->http.timeout_ms = std::max<long>(opts.timeout.count(), 5000);
    ExplainIdentity(*config, opts, out);
    CheckProxy(*config, out);
    auto rt = Runtime::Create(*config);
    if (!rt.ok()) {
        out.Fail("runtime", rt.status().message(), "fix the config", rt.status().code());
        return out.Finish();
    }
    std::vector<VaultConfig> vaults = config->vaults;
    if (args->Get("--vault")) {
        auto url = ResolveVaultFlag(*args, *config);
        if (!url.ok()) {
            out.Fail("vault", url.status().message(), "name a configured vault",
                     ErrorCode::kInvalidArgument);
            return out.Finish();
        }
        vaults.erase(std::remove_if(vaults.begin(), vaults.end(),
                                    [&](const VaultConfig& v) { return v.url != *url; }),
                     vaults.end());
        if (vaults.empty()) {
            VaultConfig adhoc;
            adhoc.url = *url;
            vaults.push_back(adhoc);
        }
    }
    if (vaults.empty())
        out.Warn("vaults", "none configured", "add vaults to the config (docs/configuration.md)");
    for (const auto& v : vaults) {
        VaultProbe probe = CheckVaultNetwork(**rt, v, opts, out);
        if (!probe.reachable)
            continue;
        if (CheckToken(**rt, v, probe, out) && opts.key.empty() && !args->Has("--no-key-scan"))
            CheckSoftwareKeys(**rt, v, out);
    }
    if (!opts.key.empty())
        CheckKeyPermissions(**rt, opts.key, out);
    return out.Finish();
}

}  // namespace azkv::cli
