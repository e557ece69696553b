#include "help.h"

#include <iostream>
#include <map>

namespace azkv::cli {
namespace {

constexpr const char* kCommon = R"(
Common options: --config FILE (default $AZKV_CONFIG, else /etc/azkv/azkv.json), --ca-file FILE,
  --output table|json, --vault URL|LABEL (a configured vault's label or its https:// URL).
KEY is a kid URL (https://VAULT/keys/NAME[/VERSION]), azkv:VAULT/NAME[/VERSION] (VAULT = a
  configured vault's label, else NAME.vault.azure.net), or NAME[/VERSION] with --vault.
Exit codes: 0 ok, 1 failure, 2 usage, 3 not found, 4 permission denied or key disabled,
  5 authentication, 6 vault unavailable or throttled, 7 bad input, 8 signature does not verify.
)";

const std::map<std::string, std::string>& Topics() {
    static const std::map<std::string, std::string> kTopics = {
        {"", R"(usage: azkv <group> <command> [options]      (azkv GROUP --help for details)

  key      list, show, create, rotate, enable, disable, delete, export-pub, ref
  cert     list, show, export, create-self-signed, request, merge
  byok     kek create, kek export, import, wrap (bring your own key from a PKCS#11 token)
  wrap, unwrap, encrypt, decrypt    data-encryption keys and data (TDE, scripting)
  sign, verify                      signatures (hashing is local)
  doctor   step-by-step diagnosis of config, identity, network, TLS, clock and permissions
  version
)"},
        {"key", R"(usage: azkv key <command>
  list --vault V [--brief]       name, type, size/curve, enabled, expiry, operations (all pages)
  show KEY                       kid, attributes, public JWK, SPKI SHA-256 fingerprint
  create --vault V --name NAME   new key (or a new version of NAME); see azkv key create --help
  rotate KEY [--expires T]       new version with the same type, size, operations and tags
  enable KEY | disable KEY       set the enabled flag (of the latest or the given version)
  delete KEY --yes               soft-delete every version (asks on a terminal without --yes)
  export-pub KEY [--out FILE]    public key, PEM
  ref KEY [--pin] [--out FILE]   PEM key reference for the OpenSSL provider (nginx, Apache)
)"},
        {"key list",
         "usage: azkv key list --vault V [--brief]\n  --brief skips the one GET per "
         "key that fills in type, size and operations.\n"},
        {"key show", "usage: azkv key show KEY\n"},
        {"key create",
         R"(usage: azkv key create --vault V --name NAME [--kty RSA-HSM|EC-HSM|oct-HSM]
         [--size 2048|3072|4096 (oct-HSM: 128|192|256)] [--curve P-256|P-384|P-521|P-256K]
         [--ops sign,verify,wrapKey,unwrapKey,encrypt,decrypt] [--not-before T] [--expires T]
         [--tags K=V,K=V] [--disabled]
  T is unix seconds, 2027-01-31 or 2027-01-31T00:00:00Z. Creating an existing NAME adds a version.
)"},
        {"key rotate", "usage: azkv key rotate KEY [--expires T]\n"},
        {"key enable", "usage: azkv key enable KEY\n"},
        {"key disable", "usage: azkv key disable KEY\n"},
        {"key delete", "usage: azkv key delete KEY [--yes]\n"},
        {"key export-pub", "usage: azkv key export-pub KEY [--out FILE]\n"},
        {"key ref", R"(usage: azkv key ref KEY [--pin] [--out FILE]
  Without a version the reference follows rotation; with one (or --pin: the current version) it
  also holds that version's public key, which the provider checks on load.
)"},
        {"cert",
         R"(usage: azkv cert <command>        (Key Vault only; Managed HSM has no certificates)
  list --vault V
  show CERT                        subject, issuer, validity, thumbprints, kid
  export CERT [--out FILE]         PEM chain, leaf first (nginx ssl_certificate)
  create-self-signed --vault V --name NAME --subject CN=... [--san DNS:a,IP:1.2.3.4]
                     [--kty RSA-HSM|EC-HSM] [--size N] [--curve C] [--months N]
  request --vault V --name NAME --subject CN=... [same key options]   prints the CSR (PEM)
  merge CERT --file SIGNED.pem     uploads the CA-signed certificate (and chain)
CERT is a certificate id URL, azkv:VAULT/NAME[/VERSION] or NAME with --vault.
)"},
        {"byok", R"(usage: azkv byok <command>
  kek create --vault V --name NAME [--size 2048|3072|4096]   RSA-HSM, key_ops import only
  kek export KEK [--out FILE]                                  KEK public key, PEM
  wrap --kek KID --module LIB.so --token LABEL --pin-file F --key-label L --out key.byok
       [--slot N] [--mechanism auto|rsa-aes|aes-kwp]
       wraps a key held in a PKCS#11 token (the on-premises HSM) for the KEK: CKM_RSA_AES_KEY_WRAP,
       or the token's AES-KWP plus RSA-OAEP; the key leaves the token only wrapped
  import --vault V --name NAME --kek KID --file key.byok [--kty RSA-HSM|EC-HSM|oct-HSM]
         [--curve C] [--ops sign,verify]
)"},
        {"wrap", R"(usage: azkv wrap KEY [--alg RSA-OAEP-256|RSA-OAEP|RSA1_5|A128KW|A192KW|A256KW]
                 [--in FILE] [--out FILE]
       azkv unwrap KEY --alg ALG [--in FILE] [--out FILE]
  Binary in and out (stdin/stdout by default). The vault does the work, so the key's enabled flag,
  dates and operations apply. To unwrap after a rotation, name the version that wrapped.
)"},
        {"encrypt",
         R"(usage: azkv encrypt KEY --alg ALG [--in FILE] [--out FILE] [--aad FILE] [--iv FILE] [--tag FILE]
       azkv decrypt KEY --alg ALG [--in FILE] [--out FILE] [--aad FILE] [--iv FILE] [--tag FILE]
  ALG: RSA-OAEP-256 RSA-OAEP RSA1_5; Managed HSM oct-HSM: A128GCM A192GCM A256GCM (the HSM picks
  the IV; encrypt writes --iv and --tag, decrypt reads them; --aad is authenticated data) and
  A128CBCPAD A192CBCPAD A256CBCPAD (a random IV is written to --iv).
)"},
        {"sign", R"(usage: azkv sign KEY --alg ALG [--in FILE] [--out FILE] [--format der|raw]
       azkv verify KEY --alg ALG [--in FILE] --signature FILE [--format der|raw]
  ALG: RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES256K ES384 ES512. The input is hashed locally;
  only the digest goes to the vault. ECDSA signatures are DER unless --format raw (r||s).
  verify runs locally with the public key.
)"},
        {"doctor", R"(usage: azkv doctor [--vault V] [--key KEY] [--timeout-ms N]
  Checks, in order, printing a checklist with a fix for each failure: the config file (parse,
  permissions), the identity source and why, the token's claims (tenant, object id, audience,
  expiry; never the token), proxy settings, DNS/TCP/TLS and CA trust per vault, clock skew
  against the vault's Date header, and with --key which operations work (get, sign, decrypt,
  wrap/unwrap) and the RBAC role that grants the missing ones; and which keys are
  software-protected. Exit 0 when every check passes, else the exit code of the first failure.
)"},
    };
    return kTopics;
}

}  // namespace

bool PrintHelp(const std::string& topic) {
    const auto& topics = Topics();
    std::string key = topic;
    if (key == "verify")
        key = "sign";
    else if (key == "unwrap")
        key = "wrap";
    else if (key == "decrypt")
        key = "encrypt";
    else if (key.rfind("byok ", 0) == 0 || key.rfind("cert ", 0) == 0)
        key = key.substr(0, 4);
    auto it = topics.find(key);
    if (it == topics.end())
        return false;
    std::cout << it->second << kCommon;
    return true;
}

}  // namespace azkv::cli
