// azkv: the operators' command-line tool for vault keys.
#include <iostream>
#include <string>
#include <vector>

#include "command.h"

namespace {

constexpr const char* kUsage = R"(usage: azkv <group> <command> [options]

Keys:
  azkv key create --vault URL --name NAME [--kty RSA-HSM|EC-HSM] [--size 2048|3072|4096]
                  [--curve P-256|P-384|P-521|P-256K] [--ops sign,verify,...]
                  [--not-before UNIX] [--expires UNIX] [--tag K=V]
  azkv key show KEY        kid, attributes, public JWK, SPKI SHA-256 fingerprint
  azkv key list --vault URL
  azkv key export-pub KEY [--out FILE]   public key as PEM

Signatures (the input is hashed locally; only the digest goes to the vault):
  azkv sign KEY --alg ALG [--in FILE] [--out FILE] [--format der|raw]
  azkv verify KEY --alg ALG [--in FILE] --signature FILE [--format der|raw]
  ALG: RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES256K ES384 ES512

KEY is a kid URL (https://VAULT.vault.azure.net/keys/NAME[/VERSION]), azkv:VAULT/NAME[/VERSION],
or NAME[/VERSION] with --vault URL.

Common options: --config FILE (default $AZKV_CONFIG, else /etc/azkv/azkv.json),
  --ca-file FILE, --output table|json

Exit codes: 0 ok, 1 failure, 2 usage, 3 not found, 4 permission denied or key disabled,
  5 authentication, 6 vault unavailable or throttled, 7 bad input, 8 signature does not verify.
)";

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::cout << kUsage;
        return args.empty() ? azkv::cli::kExitUsage : azkv::cli::kExitOk;
    }
    if (args[0] == "--version" || args[0] == "version") {
        std::cout << "azkv 0.1.0\n";
        return 0;
    }
    const std::string& group = args[0];
    if (group == "key") {
        if (args.size() < 2 || args[1] == "--help") {
            std::cout << kUsage;
            return args.size() < 2 ? azkv::cli::kExitUsage : azkv::cli::kExitOk;
        }
        return azkv::cli::RunKeyCommand(args[1], {args.begin() + 2, args.end()});
    }
    if (group == "sign")
        return azkv::cli::RunSign({args.begin() + 1, args.end()});
    if (group == "verify")
        return azkv::cli::RunVerify({args.begin() + 1, args.end()});
    return azkv::cli::Usage("unknown command \"" + group + "\"");
}
