// azkv encrypt | decrypt | wrap | unwrap: RSA (RSA-OAEP-256, RSA-OAEP, RSA1_5) on any vault;
// on Managed HSM oct-HSM keys also A*KW (wrap), A*GCM with AAD and A*CBCPAD (encrypt).
// Every operation runs in the vault, so the key's enabled flag, dates and key_ops are enforced.
#include <openssl/rand.h>

#include "azkv/util/base64.h"
#include "command.h"
#include "key_ref.h"

namespace azkv::cli {
namespace {

enum class AlgFamily { kRsa, kAesKw, kAesGcm, kAesCbcPad };

struct AlgInfo {
    AlgFamily family;
    size_t aes_bits = 0;
};

StatusOr<AlgInfo> ParseCipherAlg(const std::string& alg, bool wrap) {
    if (alg == "RSA-OAEP-256" || alg == "RSA-OAEP" || alg == "RSA1_5")
        return AlgInfo{AlgFamily::kRsa};
    for (size_t bits : {128, 192, 256}) {
        std::string a = "A" + std::to_string(bits);
        if (wrap && alg == a + "KW")
            return AlgInfo{AlgFamily::kAesKw, bits};
        if (!wrap && alg == a + "GCM")
            return AlgInfo{AlgFamily::kAesGcm, bits};
        if (!wrap && alg == a + "CBCPAD")
            return AlgInfo{AlgFamily::kAesCbcPad, bits};
    }
    return Status(ErrorCode::kInvalidArgument,
                  "unknown --alg \"" + alg + "\" for " +
                      (wrap ? "wrap/unwrap" : "encrypt/decrypt") +
                      " (RSA-OAEP-256 RSA-OAEP RSA1_5" +
                      (wrap ? "; Managed HSM: A128KW A192KW A256KW)"
                            : "; Managed HSM: A128GCM A192GCM A256GCM A128CBCPAD A192CBCPAD "
                              "A256CBCPAD)"));
}

Status CheckKeyFits(const keyvault::KeyBundle& key, const AlgInfo& alg, const std::string& alg_name,
                    const std::string& context) {
    bool rsa = key.key.kty.rfind("RSA", 0) == 0;
    bool oct = key.key.kty.rfind("oct", 0) == 0;
    if (alg.family == AlgFamily::kRsa && !rsa) {
        return Status(ErrorCode::kUnsupported,
                      context + alg_name + " needs an RSA key, but this key is " + key.key.kty +
                          "; use an RSA key, or an A* algorithm with an oct-HSM key");
    }
    if (alg.family != AlgFamily::kRsa && !oct) {
        return Status(ErrorCode::kUnsupported,
                      context + alg_name +
                          " needs an oct-HSM key on a Managed HSM, but this key is " + key.key.kty +
                          "; use RSA-OAEP-256 with an RSA key");
    }
    return Status::Ok();
}

StatusOr<std::vector<uint8_t>> ReadOptional(const Args& args, const std::string& flag) {
    auto path = args.Get(flag);
    if (!path)
        return std::vector<uint8_t>();
    return ReadInput(*path);
}

Status WriteIfAsked(const Args& args, const std::string& flag, const std::vector<uint8_t>& v) {
    auto path = args.Get(flag);
    if (!path || v.empty())
        return Status::Ok();
    return WriteOutput(*path, v.data(), v.size());
}

}  // namespace

// `operation` is "encrypt", "decrypt", "wrapkey" or "unwrapkey".
int RunCipher(const std::string& operation, const std::vector<std::string>& argv) {
    int rc = 0;
    auto args = ParseOrUsage(
        argv, CommonFlags({"--alg", "--in", "--out", "--iv", "--tag", "--aad"}), {}, rc);
    if (!args)
        return rc;
    bool wrap = operation == "wrapkey" || operation == "unwrapkey";
    bool forward = operation == "encrypt" || operation == "wrapkey";
    auto alg = ParseCipherAlg(args->GetOr("--alg", "RSA-OAEP-256"), wrap);
    if (!alg.ok())
        return Fail(alg.status());
    std::string alg_name = args->GetOr("--alg", "RSA-OAEP-256");
    auto input = ReadInput(args->GetOr("--in", "-"));
    if (!input.ok())
        return Fail(input.status());
    auto nk = OpenNamedObject(*args, operation);
    if (!nk.ok())
        return Fail(nk.status());
    auto bundle = nk->client->GetKey(nk->ref.name, nk->ref.version);
    if (!bundle.ok())
        return Fail(bundle.status());
    auto id = keyvault::ObjectId::Parse(bundle->key.kid);
    if (!id.ok())
        return Fail(id.status());
    std::string context = "vault " + nk->ref.vault_url + " key " + id->name + "/" + id->version +
                          " " + operation + ": ";
    if (Status st = CheckKeyFits(*bundle, *alg, alg_name, context); !st.ok())
        return Fail(st);

    keyvault::Client::CipherInput in;
    in.alg = alg_name;
    in.value = input->data();
    in.value_len = input->size();
    auto aad = ReadOptional(*args, "--aad");
    if (!aad.ok())
        return Fail(aad.status());
    in.aad = *aad;
    if (!forward && (alg->family == AlgFamily::kAesGcm || alg->family == AlgFamily::kAesCbcPad)) {
        auto iv = ReadOptional(*args, "--iv");
        auto tag = ReadOptional(*args, "--tag");
        if (!iv.ok() || !tag.ok())
            return Fail(!iv.ok() ? iv.status() : tag.status());
        if (iv->empty() || (alg->family == AlgFamily::kAesGcm && tag->empty()))
            return Usage("decrypting " + alg_name + " needs --iv FILE" +
                         (alg->family == AlgFamily::kAesGcm ? " and --tag FILE" : ""));
        in.iv = *iv;
        in.tag = *tag;
    }
    if (forward && alg->family == AlgFamily::kAesCbcPad) {
        in.iv.resize(16);
        if (RAND_bytes(in.iv.data(), 16) != 1)
            return Fail(Status(ErrorCode::kInternal, "no random IV available"));
    }
    if (forward && (alg->family == AlgFamily::kAesGcm || alg->family == AlgFamily::kAesCbcPad) &&
        !args->Get("--iv") && !WantJson(*args)) {
        return Usage(
            alg_name + " encryption writes its IV" +
            (alg->family == AlgFamily::kAesGcm ? " and tag" : std::string()) + ": give --iv FILE" +
            (alg->family == AlgFamily::kAesGcm ? " and --tag FILE" : "") + " (or --output json)");
    }
    auto result = nk->client->Cipher(operation, id->name, id->version, in);
    if (!result.ok())
        return Fail(result.status());
    if (result->iv.empty())
        result->iv = in.iv;
    if (WantJson(*args)) {
        nlohmann::json j = {{"kid", result->kid.empty() ? bundle->key.kid : result->kid},
                            {"alg", alg_name},
                            {"value", Base64UrlEncode(result->value.data(), result->value.size())}};
        if (forward && !result->iv.empty())
            j["iv"] = Base64UrlEncode(result->iv);
        if (forward && !result->tag.empty())
            j["tag"] = Base64UrlEncode(result->tag);
        PrintJson(j);
        return kExitOk;
    }
    if (forward) {
        Status st = WriteIfAsked(*args, "--iv", result->iv);
        if (st.ok())
            st = WriteIfAsked(*args, "--tag", result->tag);
        if (!st.ok())
            return Fail(st);
    }
    Status st = WriteOutput(args->GetOr("--out", "-"), result->value.data(), result->value.size());
    return st.ok() ? kExitOk : Fail(st);
}

}  // namespace azkv::cli
