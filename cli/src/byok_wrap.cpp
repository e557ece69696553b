// azkv byok wrap: makes a .byok transfer blob from a key held in a PKCS#11 token.
#include <cstdlib>

#include "azkv/keyvault/jwk_key.h"
#include "azkv/keyvault/vault_url.h"
#include "azkv/util/base64.h"
#include "byok_commands.h"
#include "command.h"
#include "key_ref.h"
#include "pkcs11_source.h"

namespace azkv::cli {
namespace {

// The PIN from --pin-file (first line) or $AZKV_BYOK_PIN; never from the command line, where
// other users could read it in the process list.
StatusOr<SecretString> ReadPin(const Args& args) {
    if (auto path = args.Get("--pin-file")) {
        AZKV_ASSIGN_OR_RETURN(auto bytes, ReadInput(*path));
        std::string pin(bytes.begin(), bytes.end());
        pin = pin.substr(0, pin.find_first_of("\r\n"));
        SecretString s(pin);
        std::fill(pin.begin(), pin.end(), '\0');
        return s;
    }
    if (const char* env = std::getenv("AZKV_BYOK_PIN"))
        return SecretString(env);
    return SecretString();
}

}  // namespace

int ByokWrap(const std::vector<std::string>& argv) {
    int rc = 0;
    auto args = ParseOrUsage(argv,
                             CommonFlags({"--kek", "--module", "--token", "--slot", "--pin-file",
                                          "--key-label", "--key-id", "--mechanism", "--out"}),
                             {}, rc);
    if (!args)
        return rc;
    auto kek_ref = args->Get("--kek");
    auto module = args->Get("--module");
    auto out = args->Get("--out");
    if (!kek_ref || !module || !out || (!args->Get("--token") && !args->Get("--slot")) ||
        (!args->Get("--key-label") && !args->Get("--key-id"))) {
        return Usage(
            "byok wrap needs --kek KID --module LIB.so --token LABEL|--slot N "
            "--key-label L|--key-id HEX --out key.byok");
    }
    std::string mechanism = args->GetOr("--mechanism", "auto");
    if (mechanism != "auto" && mechanism != "rsa-aes" && mechanism != "aes-kwp")
        return Usage("--mechanism is auto, rsa-aes or aes-kwp");
    auto rt = OpenRuntime(*args);
    if (!rt.ok())
        return Fail(rt.status());
    auto ref = ParseKeyRef(*kek_ref, args->GetOr("--vault", ""), (*rt)->config());
    if (!ref.ok())
        return Fail(ref.status());
    auto client = (*rt)->Vault(ref->vault_url);
    if (!client.ok())
        return Fail(client.status());
    auto kek = (*client)->GetKey(ref->name, ref->version);
    if (!kek.ok())
        return Fail(kek.status());
    if (kek->key.kty != "RSA-HSM" || kek->key.key_ops != std::vector<std::string>{"import"}) {
        return Fail(Status(ErrorCode::kUnsupported,
                           "vault " + ref->vault_url + " key " + ref->name +
                               " byok wrap: not a key-exchange key (RSA-HSM with key_ops "
                               "[import]); create one with azkv byok kek create"));
    }
    auto kek_pub = keyvault::PublicKeyFromJwk(kek->key);
    if (!kek_pub.ok())
        return Fail(kek_pub.status());
    auto pin = ReadPin(*args);
    if (!pin.ok())
        return Fail(pin.status());
    Pkcs11WrapRequest req;
    req.module_path = *module;
    req.token_label = args->GetOr("--token", "");
    req.slot = args->Get("--slot") ? std::atol(args->Get("--slot")->c_str()) : -1;
    req.pin = *pin;
    req.key_label = args->GetOr("--key-label", "");
    req.key_id_hex = args->GetOr("--key-id", "");
    req.mechanism = mechanism;
    auto wrapped = WrapWithPkcs11(req, kek_pub->get());
    if (!wrapped.ok())
        return Fail(wrapped.status());
    nlohmann::json blob = {
        {"schema_version", "1.0.0"},
        {"header", {{"kid", kek->key.kid}, {"alg", "dir"}, {"enc", "CKM_RSA_AES_KEY_WRAP"}}},
        {"ciphertext", Base64UrlEncode(wrapped->ciphertext)},
        {"generator",
         "azkv byok wrap 0.1.0; " + wrapped->mechanism + "; " + wrapped->token_description}};
    Status st = WriteText(*out, blob.dump() + "\n");
    if (!st.ok())
        return Fail(st);
    std::string kty = wrapped->key_type + "-HSM";
    if (WantJson(*args)) {
        PrintJson({{"file", *out},
                   {"kek", kek->key.kid},
                   {"kty", kty},
                   {"crv", wrapped->curve},
                   {"mechanism", wrapped->mechanism}});
    } else {
        std::cout << "wrapped the " << wrapped->key_type << " key for " << kek->key.kid << " with "
                  << wrapped->mechanism << " into " << *out << "\nnext: azkv byok import --kek "
                  << kek->key.kid << " --file " << *out << " --name NAME --kty " << kty
                  << (wrapped->curve.empty() ? "" : " --curve " + wrapped->curve) << "\n";
    }
    return kExitOk;
}

}  // namespace azkv::cli
