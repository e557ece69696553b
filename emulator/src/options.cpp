#include "options.h"

#include <cstdio>
#include <stdexcept>

namespace azkv::emu {
namespace {

constexpr const char* kUsage = R"(usage: azkv-emulator [options]
Local Azure Key Vault / Managed HSM / managed-identity emulator with fault injection.

  --state-dir DIR                 state (CA, server cert, keys); default ./azkv-emulator-state
  --bind ADDR                     listen address (default 127.0.0.1)
  --vault NAME[:FLAVOR[:PORT]]    repeatable; FLAVOR vault|mhsm; PORT 0 = ephemeral
                                  (default demo:vault:8443)
  --identity-port PORT            plain-HTTP identity listener (default 8080)
  --sts-port PORT                 HTTPS identity / Entra v2 listener (default 8444)
  --host NAME                     extra SAN for the server certificate (repeatable)
  --token-ttl SECONDS             lifetime of issued tokens (default 3600)
  --rbac FILE                     RBAC assignments (JSON); absent = allow everything
  --throttle                      enable the per-vault throttling model
  --clock-skew-s SECONDS          run the emulator's clock this far ahead (negative: behind)
  --ops-log FILE                  JSON-lines log of every request
  --ready-file FILE               written once every listener accepts
  --latency-ms N --jitter-ms N --fault-429 RATE --fault-429-no-retry-after RATE
  --fault-500 RATE --fault-503 RATE --fault-reset RATE --seed N
  --log-level error|warn|info|debug
  --version, --help
)";

int to_port(const std::string& s, const std::string& what) {
    size_t pos = 0;
    int v = std::stoi(s, &pos);
    if (pos != s.size() || v < 0 || v > 65535)
        throw std::invalid_argument("bad port for " + what);
    return v;
}

VaultSpec parse_vault(const std::string& arg) {
    VaultSpec v;
    auto c1 = arg.find(':');
    v.name = arg.substr(0, c1);
    if (v.name.empty())
        throw std::invalid_argument("--vault needs a name");
    if (c1 != std::string::npos) {
        auto c2 = arg.find(':', c1 + 1);
        std::string flavor =
            arg.substr(c1 + 1, c2 == std::string::npos ? std::string::npos : c2 - c1 - 1);
        if (flavor == "vault") {
            v.flavor = Flavor::Vault;
        } else if (flavor == "mhsm") {
            v.flavor = Flavor::Mhsm;
        } else {
            throw std::invalid_argument("--vault flavor must be vault or mhsm: " + flavor);
        }
        if (c2 != std::string::npos)
            v.port = to_port(arg.substr(c2 + 1), "--vault");
    }
    return v;
}

}  // namespace

const char* flavor_name(Flavor f) {
    return f == Flavor::Mhsm ? "mhsm" : "vault";
}

bool parse_options(int argc, char** argv, Options& o) {
    // Fault flags map one-to-one onto fields of the faults JSON.
    const std::pair<const char*, const char*> fault_flags[] = {
        {"--latency-ms", "latency_ms"},  {"--jitter-ms", "jitter_ms"},
        {"--fault-429", "rate_429"},     {"--fault-429-no-retry-after", "rate_429_no_retry_after"},
        {"--fault-500", "rate_500"},     {"--fault-503", "rate_503"},
        {"--fault-reset", "rate_reset"}, {"--seed", "seed"},
    };
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc)
                throw std::invalid_argument(a + " needs a value");
            return argv[++i];
        };
        if (a == "--help" || a == "-h") {
            std::fputs(kUsage, stdout);
            return false;
        }
        if (a == "--version") {
            std::puts("azkv-emulator " AZKV_EMULATOR_VERSION);
            return false;
        }
        bool matched = false;
        for (auto& [flag, field] : fault_flags) {
            if (a == flag) {
                std::string v = value();
                size_t pos = 0;
                double d = std::stod(v, &pos);
                if (pos != v.size() || d < 0)
                    throw std::invalid_argument("bad value for " + a);
                o.faults[field] = d;
                matched = true;
            }
        }
        if (matched)
            continue;
        if (a == "--state-dir") {
            o.state_dir = value();
        } else if (a == "--bind") {
            o.bind = value();
        } else if (a == "--vault") {
            o.vaults.push_back(parse_vault(value()));
        } else if (a == "--identity-port") {
            o.identity_port = to_port(value(), a);
        } else if (a == "--sts-port") {
            o.sts_port = to_port(value(), a);
        } else if (a == "--host") {
            o.hosts.push_back(value());
        } else if (a == "--token-ttl") {
            o.token_ttl = std::stoll(value());
            if (o.token_ttl < 1)
                throw std::invalid_argument("--token-ttl must be >= 1");
        } else if (a == "--rbac") {
            o.rbac_file = value();
        } else if (a == "--throttle") {
            o.throttle = true;
        } else if (a == "--clock-skew-s") {
            o.clock_skew_s = std::stoll(value());
        } else if (a == "--ops-log") {
            o.ops_log = value();
        } else if (a == "--ready-file") {
            o.ready_file = value();
        } else if (a == "--log-level") {
            o.log_level = value();
            if (o.log_level != "error" && o.log_level != "warn" && o.log_level != "info" &&
                o.log_level != "debug")
                throw std::invalid_argument("bad --log-level");
        } else {
            throw std::invalid_argument("unknown option " + a);
        }
    }
    if (o.vaults.empty())
        o.vaults.push_back({"demo", Flavor::Vault, 8443});
    for (size_t i = 0; i < o.vaults.size(); ++i)
        for (size_t j = 0; j < i; ++j)
            if (o.vaults[i].name == o.vaults[j].name)
                throw std::invalid_argument("duplicate vault " + o.vaults[i].name);
    return true;
}

}  // namespace azkv::emu
