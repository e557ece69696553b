// azkv-bench: one benchmark run, printed as one JSON line. bench/run_bench.py drives the matrix.
//
//   azkv-bench sign --contender limit|core|pkcs11|provider|peer --key-url URL --kind rsa|ec
//                   --threads N --seconds S --stats-url URL --ca FILE --imds URL --resource R
//                   --config AZKV_JSON --pkcs11-module SO --provider-dir DIR
//   azkv-bench handshake --port P --threads N --seconds S --stats-url URL [--resume --count N]
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "contender.h"
#include "handshake_run.h"
#include "sign_run.h"

namespace {

int Usage() {
    std::fprintf(stderr,
                 "usage: azkv-bench sign --contender NAME --key-url URL --kind rsa|ec --threads N "
                 "--seconds S --stats-url URL [--ca F --imds URL --resource R --config F "
                 "--pkcs11-module F --provider-dir D] [--instrumented-ops N --warm-ops N "
                 "--emit-latencies 1]\n"
                 "       azkv-bench handshake --port P --threads N --seconds S --stats-url URL "
                 "[--resume --count N]\n");
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace azkv::bench;
    if (argc < 2)
        return Usage();
    std::string mode = argv[1];
    std::map<std::string, std::string> args;
    for (int i = 2; i < argc; ++i) {
        std::string a = argv[i];
        if (a.rfind("--", 0) != 0)
            return Usage();
        if (a == "--resume") {
            args["resume"] = "1";
        } else if (i + 1 < argc) {
            args[a.substr(2)] = argv[++i];
        } else {
            return Usage();
        }
    }
    auto get = [&](const char* k, const char* def = "") {
        auto it = args.find(k);
        return it == args.end() ? std::string(def) : it->second;
    };
    nlohmann::json out;
    if (mode == "sign") {
        Target t;
        t.key_url = get("key-url");
        // https://host:port/keys/NAME/VERSION
        size_t keys = t.key_url.find("/keys/");
        if (keys == std::string::npos)
            return Usage();
        t.origin = t.key_url.substr(0, keys);
        std::string rest = t.key_url.substr(keys + 6);
        t.name = rest.substr(0, rest.find('/'));
        t.version = rest.find('/') == std::string::npos ? "" : rest.substr(rest.find('/') + 1);
        t.kind = get("kind", "ec") == "rsa" ? KeyKind::kRsa : KeyKind::kEc;
        t.imds = get("imds");
        t.resource = get("resource", t.origin.c_str());
        t.ca_file = get("ca");
        t.config = get("config");
        t.pkcs11_module = get("pkcs11-module");
        t.provider_dir = get("provider-dir");
        RunOptions o;
        o.contender = get("contender");
        o.threads = std::atoi(get("threads", "1").c_str());
        o.seconds = std::atof(get("seconds", "2").c_str());
        o.stats_url = get("stats-url");
        o.vault_name = get("vault-name", "demo");
        o.instrumented_ops = std::atoi(get("instrumented-ops", "0").c_str());
        o.warm_ops = std::atoi(get("warm-ops", "3").c_str());
        o.emit_latencies = get("emit-latencies") == "1";
        if (o.threads < 1)
            return Usage();
        out = RunSign(o, t);
    } else if (mode == "handshake") {
        HandshakeOptions o;
        o.host = get("host", "127.0.0.1");
        o.port = std::atoi(get("port").c_str());
        o.threads = std::atoi(get("threads", "8").c_str());
        o.seconds = std::atof(get("seconds", "2").c_str());
        o.resume = get("resume") == "1";
        o.count = std::atoi(get("count", "20").c_str());
        o.stats_url = get("stats-url");
        o.vault_name = get("vault-name", "demo");
        out = RunHandshakes(o);
    } else {
        return Usage();
    }
    std::printf("%s\n", out.dump().c_str());
    std::fflush(stdout);
    // The contenders' libraries (module, provider) stay loaded; leave without running their
    // destructors from atexit in an order we do not control.
    std::_Exit(out.contains("error") ? 1 : 0);
}
