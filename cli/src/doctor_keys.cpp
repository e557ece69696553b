// azkv doctor: which operations work on a key (and the RBAC role that grants the missing ones),
// and which keys of a vault are software-protected.
#include <openssl/rand.h>

#include "azkv/keys/digest.h"
#include "azkv/keys/remote_key.h"
#include "azkv/keyvault/jwk_key.h"
#include "command.h"
#include "doctor.h"
#include "key_ref.h"
#include "key_view.h"

namespace azkv::cli {
namespace {

std::string RoleFor(const std::string& op, bool mhsm) {
    if (op == "wrapKey" || op == "unwrapKey")
        return mhsm ? "Managed HSM Crypto Service Encryption User"
                    : "Key Vault Crypto Service Encryption User";
    if (op == "get")
        return mhsm ? "Managed HSM Crypto User" : "Key Vault Crypto User (or Key Vault Reader)";
    return mhsm ? "Managed HSM Crypto User" : "Key Vault Crypto User";
}

std::string SignAlgFor(const keyvault::JsonWebKey& k, size_t* digest_len) {
    *digest_len = 32;
    if (k.crv == "P-384") {
        *digest_len = 48;
        return "ES384";
    }
    if (k.crv == "P-521") {
        *digest_len = 64;
        return "ES512";
    }
    if (k.crv == "P-256K")
        return "ES256K";
    return k.crv.empty() ? "RS256" : "ES256";
}

void Report(Checklist& out, const std::string& label, const std::string& op, const Status& st,
            bool mhsm, const std::string& key) {
    if (st.ok()) {
        out.Ok(label + " " + op, "works");
    } else if (st.code() == ErrorCode::kPermissionDenied) {
        out.Fail(label + " " + op, "denied: " + st.message(),
                 "assign the '" + RoleFor(op, mhsm) + "' role to this identity on key " + key +
                     " or its vault (or a custom role with the " + op + " action)",
                 ErrorCode::kPermissionDenied);
    } else if (st.code() == ErrorCode::kKeyDisabled) {
        out.Fail(label + " " + op, st.message(),
                 "enable the key (azkv key enable), or check its not-before/expiry dates",
                 ErrorCode::kKeyDisabled);
    } else {
        out.Fail(label + " " + op, st.message(), "see the checks above", st.code());
    }
}

Status Probe(keyvault::Client& c, const keyvault::KeyBundle& b, const std::string& name,
             const std::string& version, const std::string& op, EVP_PKEY* pub) {
    if (op == "sign") {
        size_t len = 0;
        std::string alg = SignAlgFor(b.key, &len);
        std::vector<uint8_t> digest(len, 0x5a);
        auto r = c.Sign(name, version, alg, digest);
        return r.ok() ? Status::Ok() : r.status();
    }
    // decrypt and unwrapKey: a random value encrypted locally must come back unchanged.
    std::vector<uint8_t> secret(32);
    RAND_bytes(secret.data(), 32);
    keyvault::Client::CipherInput in;
    in.alg = "RSA-OAEP-256";
    in.value = secret.data();
    in.value_len = secret.size();
    std::string remote_op = op == "decrypt" ? "decrypt" : op == "wrapKey" ? "wrapkey" : "unwrapkey";
    std::vector<uint8_t> ct;
    if (remote_op != "wrapkey") {
        EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_pkey(nullptr, pub, nullptr);
        size_t n = 0;
        bool ok = ctx != nullptr && EVP_PKEY_encrypt_init(ctx) > 0 &&
                  EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) > 0 &&
                  EVP_PKEY_CTX_set_rsa_oaep_md(ctx, EVP_sha256()) > 0 &&
                  EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha256()) > 0 &&
                  EVP_PKEY_encrypt(ctx, nullptr, &n, secret.data(), secret.size()) > 0;
        ct.resize(n);
        ok = ok && EVP_PKEY_encrypt(ctx, ct.data(), &n, secret.data(), secret.size()) > 0;
        EVP_PKEY_CTX_free(ctx);
        if (!ok)
            return Status(ErrorCode::kInternal, "local RSA-OAEP-256 encryption failed");
        in.value = ct.data();
        in.value_len = n;
    }
    auto r = c.Cipher(remote_op, name, version, in);
    if (!r.ok())
        return r.status();
    if (remote_op != "wrapkey" &&
        !std::equal(r->value.begin(), r->value.end(), secret.begin(), secret.end()))
        return Status(ErrorCode::kBadResponse, "the vault returned a different value");
    return Status::Ok();
}

}  // namespace

void CheckKeyPermissions(Runtime& rt, const std::string& key, Checklist& out) {
    std::string label = "key " + key;
    auto ref = ParseKeyRef(key, "", rt.config());
    if (!ref.ok()) {
        out.Fail(label, ref.status().message(), "name the key as a kid URL or azkv:VAULT/NAME",
                 ErrorCode::kInvalidArgument);
        return;
    }
    auto client = rt.Vault(ref->vault_url);
    if (!client.ok()) {
        out.Fail(label, client.status().message(), "", client.status().code());
        return;
    }
    bool mhsm = (*client)->kind() == keyvault::ServiceKind::kManagedHsm;
    auto bundle = (*client)->GetKey(ref->name, ref->version);
    Report(out, label, "get", bundle.ok() ? Status::Ok() : bundle.status(), mhsm, ref->name);
    if (!bundle.ok())
        return;
    auto id = keyvault::ObjectId::Parse(bundle->key.kid);
    if (!id.ok())
        return;
    if (bundle->key.kty.find("-HSM") == std::string::npos) {
        out.Warn(label + " protection", "software-protected (" + bundle->key.kty + ")",
                 "azkv refuses software keys unless the vault entry sets allow_software_keys; "
                 "recreate it as " +
                     bundle->key.kty + "-HSM or bring it in with azkv byok");
    } else {
        out.Ok(label + " protection", "HSM-protected (" + bundle->key.kty + " " +
                                          SizeOrCurve(bundle->key) + ", enabled " +
                                          (bundle->attributes.enabled ? "yes" : "no") + ")");
    }
    auto pub = keyvault::PublicKeyFromJwk(bundle->key);
    bool rsa = bundle->key.kty.rfind("RSA", 0) == 0;
    for (const std::string op : {"sign", "decrypt", "wrapKey", "unwrapKey"}) {
        if (op != "sign" && !rsa) {
            continue;
        }
        if (!bundle->key.HasOp(op)) {
            out.Skip(label + " " + op,
                     "not in the key's key_ops (" + Join(bundle->key.key_ops) + ")");
            continue;
        }
        if (!pub.ok()) {
            out.Skip(label + " " + op, "no public key to probe with");
            continue;
        }
        Report(out, label, op, Probe(**client, *bundle, id->name, id->version, op, pub->get()),
               mhsm, ref->name);
    }
}

void CheckSoftwareKeys(Runtime& rt, const VaultConfig& vault, Checklist& out) {
    constexpr size_t kMaxKeys = 50;
    std::string label = "vault " + (vault.label.empty() ? vault.url : vault.label) + " keys";
    auto client = rt.Vault(vault.url);
    if (!client.ok())
        return;
    auto items = (*client)->ListKeys(4);
    if (!items.ok()) {
        out.Skip(label, "cannot list keys: " + items.status().message());
        return;
    }
    std::vector<std::string> software;
    size_t checked = 0;
    for (const auto& item : *items) {
        if (checked++ == kMaxKeys)
            break;
        auto id = keyvault::ObjectId::Parse(item.kid);
        if (!id.ok())
            continue;
        auto b = (*client)->GetKey(id->name);
        if (b.ok() && b->key.kty.find("-HSM") == std::string::npos)
            software.push_back(id->name + " (" + b->key.kty + ")");
    }
    std::string scope = std::to_string(std::min(checked, kMaxKeys)) + " of " +
                        std::to_string(items->size()) + " key(s) checked";
    if (software.empty()) {
        out.Ok(label, "all HSM-protected (" + scope + ")");
    } else {
        out.Warn(label, "software-protected: " + Join(software, ", ") + " (" + scope + ")",
                 "azkv uses them only where the vault entry sets allow_software_keys; recreate "
                 "them as -HSM keys or bring the material in with azkv byok");
    }
}

}  // namespace azkv::cli
