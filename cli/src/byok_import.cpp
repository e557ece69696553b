// azkv byok import: uploads a .byok transfer blob (made by a vendor tool or azkv byok wrap).
#include "azkv/keyvault/vault_url.h"
#include "azkv/util/base64.h"
#include "byok_commands.h"
#include "command.h"
#include "key_ref.h"
#include "key_view.h"

namespace azkv::cli {
namespace {

Status Bad(const std::string& what, const std::string& why) {
    return Status(ErrorCode::kInvalidArgument,
                  what + " is not a usable .byok file: " + why +
                      "; make it again with the HSM vendor's BYOK tool or azkv byok wrap");
}

}  // namespace

StatusOr<nlohmann::json> ParseByokFile(const std::vector<uint8_t>& bytes, const std::string& what) {
    auto blob = nlohmann::json::parse(bytes.begin(), bytes.end(), nullptr, false);
    if (blob.is_discarded() || !blob.is_object())
        return Bad(what, "not a JSON object");
    if (blob.value("schema_version", "") != "1.0.0")
        return Bad(what, "schema_version is not \"1.0.0\"");
    const auto header = blob.value("header", nlohmann::json());
    if (!header.is_object() || !header.value("kid", nlohmann::json()).is_string())
        return Bad(what, "header.kid (the key-exchange key) is missing");
    if (header.value("alg", "") != "dir" || header.value("enc", "") != "CKM_RSA_AES_KEY_WRAP")
        return Bad(what, "header.alg must be \"dir\" and header.enc \"CKM_RSA_AES_KEY_WRAP\"");
    auto ct = blob.value("ciphertext", nlohmann::json());
    if (!ct.is_string() || !Base64UrlDecode(ct.get<std::string>()))
        return Bad(what, "ciphertext is missing or not base64url");
    auto kid = keyvault::ObjectId::Parse(header["kid"].get<std::string>());
    if (!kid.ok() || kid->collection != "keys" || kid->version.empty())
        return Bad(what, "header.kid is not a versioned key id");
    return blob;
}

int ByokImport(const std::vector<std::string>& argv) {
    int rc = 0;
    auto args = ParseOrUsage(
        argv, CommonFlags({"--name", "--file", "--kek", "--kty", "--curve", "--ops", "--tags"}), {},
        rc);
    if (!args)
        return rc;
    auto name = args->Get("--name");
    auto file = args->Get("--file");
    if (!name || !file)
        return Usage("byok import needs --name NAME and --file key.byok (and --vault or --kek)");
    auto bytes = ReadInput(*file);
    if (!bytes.ok())
        return Fail(bytes.status());
    auto blob = ParseByokFile(*bytes, *file);
    if (!blob.ok())
        return Fail(blob.status());
    std::string header_kid = (*blob)["header"]["kid"];
    auto kek_id = keyvault::ObjectId::Parse(header_kid);
    if (auto kek = args->Get("--kek")) {
        auto given = keyvault::ObjectId::Parse(*kek);
        if (!given.ok() || given->vault.origin() != kek_id->vault.origin() ||
            given->name != kek_id->name ||
            (!given->version.empty() && given->version != kek_id->version)) {
            return Fail(Status(ErrorCode::kInvalidArgument,
                               *file + " was wrapped for " + header_kid + ", not for --kek " +
                                   *kek + "; wrap it again for this KEK"));
        }
    }
    std::string kty = args->GetOr("--kty", "RSA-HSM");
    if (kty != "RSA-HSM" && kty != "EC-HSM" && kty != "oct-HSM")
        return Usage("--kty for BYOK is RSA-HSM, EC-HSM or oct-HSM (the key stays in the HSM)");
    nlohmann::json key = {{"kty", kty}, {"key_hsm", Base64UrlEncode(bytes->data(), bytes->size())}};
    if (kty == "EC-HSM") {
        auto curve = args->Get("--curve");
        if (!curve)
            return Usage("an EC-HSM import needs --curve P-256|P-384|P-521|P-256K");
        key["crv"] = *curve;
    }
    if (auto ops = args->Get("--ops"))
        key["key_ops"] = SplitList(*ops);
    keyvault::UpdateKeyParams attrs;
    attrs.enabled = true;
    std::shared_ptr<Runtime> rt;
    StatusOr<std::shared_ptr<keyvault::Client>> client = Status(ErrorCode::kInternal, "unset");
    if (args->Get("--vault")) {
        client = VaultFromFlag(*args, &rt);
    } else {
        auto opened = OpenRuntime(*args);
        if (!opened.ok())
            return Fail(opened.status());
        rt = *opened;
        client = rt->Vault(kek_id->vault.origin());
    }
    if (!client.ok())
        return Fail(client.status());
    if ((*client)->vault().origin() != kek_id->vault.origin()) {
        return Fail(Status(ErrorCode::kInvalidArgument,
                           "the .byok was wrapped for a KEK of " + kek_id->vault.origin() +
                               "; it can only be imported into that vault, not " +
                               (*client)->vault().origin()));
    }
    auto bundle = (*client)->ImportKey(*name, key, std::nullopt, attrs);
    if (!bundle.ok())
        return Fail(bundle.status());
    if (WantJson(*args))
        PrintJson(BundleJson(*bundle, nullptr));
    else
        std::cout << "imported " << bundle->key.kid << " (" << bundle->key.kty << " "
                  << SizeOrCurve(bundle->key) << ")\n";
    return kExitOk;
}

}  // namespace azkv::cli
