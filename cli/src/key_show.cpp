// azkv key show | export-pub | ref
#include <openssl/pem.h>

#include "azkv/keyvault/jwk_key.h"
#include "command.h"
#include "key_commands.h"
#include "key_ref.h"
#include "key_view.h"
#include "keyref_der.h"

namespace azkv::cli {
namespace {

struct Fetched {
    NamedKey named;
    keyvault::KeyBundle bundle;
    EvpPkeyPtr pub;
};

// The vault refuses GET on a disabled key (403 KeyDisabled), but its version list still carries
// the attributes, so `key show` can say that the key exists and is disabled.
StatusOr<keyvault::KeyBundle> DisabledKeyBundle(const NamedKey& named, const Status& refused) {
    auto versions = named.client->ListKeyVersions(named.ref.name);
    if (!versions.ok())
        return refused;
    const keyvault::KeyItem* pick = nullptr;
    for (const auto& item : *versions) {
        bool wanted = named.ref.version.empty()
                          ? (pick == nullptr || item.attributes.created > pick->attributes.created)
                          : item.kid.ends_with("/" + named.ref.version);
        if (wanted)
            pick = &item;
    }
    if (pick == nullptr)
        return refused;
    keyvault::KeyBundle bundle;
    bundle.key.kid = pick->kid;
    bundle.attributes = pick->attributes;
    bundle.tags = pick->tags;
    bundle.managed = pick->managed;
    return bundle;
}

StatusOr<Fetched> FetchKey(const Args& args, const std::string& command, bool need_public) {
    Fetched f;
    AZKV_ASSIGN_OR_RETURN(f.named, OpenNamedObject(args, command));
    auto bundle = f.named.client->GetKey(f.named.ref.name, f.named.ref.version);
    if (!bundle.ok() && !need_public && bundle.status().code() == ErrorCode::kKeyDisabled)
        bundle = DisabledKeyBundle(f.named, bundle.status());
    if (!bundle.ok())
        return bundle.status();
    f.bundle = std::move(*bundle);
    auto pub = keyvault::PublicKeyFromJwk(f.bundle.key);
    if (pub.ok())
        f.pub = std::move(*pub);
    else if (need_public)
        return pub.status();
    return f;
}

std::string PemBlock(const char* label, const std::vector<uint8_t>& der) {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio(bio, label, "", der.data(), static_cast<long>(der.size()));
    char* data = nullptr;
    long len = BIO_get_mem_data(bio, &data);
    std::string pem(data, static_cast<size_t>(len));
    BIO_free(bio);
    return pem;
}

}  // namespace

int KeyShow(const std::vector<std::string>& argv) {
    int rc = 0;
    auto args = ParseOrUsage(argv, CommonFlags(), {}, rc);
    if (!args)
        return rc;
    auto f = FetchKey(*args, "key show", false);
    if (!f.ok())
        return Fail(f.status());
    if (WantJson(*args))
        PrintJson(BundleJson(f->bundle, f->pub.get()));
    else
        PrintBundleTable(f->bundle, f->pub.get());
    return kExitOk;
}

int KeyExportPub(const std::vector<std::string>& argv) {
    int rc = 0;
    auto args = ParseOrUsage(argv, CommonFlags({"--out"}), {}, rc);
    if (!args)
        return rc;
    auto f = FetchKey(*args, "key export-pub", true);
    if (!f.ok())
        return Fail(f.status());
    auto pem = PublicPem(f->pub.get());
    if (!pem.ok())
        return Fail(pem.status());
    Status st = WriteText(args->GetOr("--out", "-"), *pem);
    return st.ok() ? kExitOk : Fail(st);
}

// The PEM key reference the OpenSSL provider reads (provider/src/keyref_der.h). With a version
// (given, or --pin for the current one) it carries that version's public key; without one it
// follows rotation.
int KeyRefFile(const std::vector<std::string>& argv) {
    int rc = 0;
    auto args = ParseOrUsage(argv, CommonFlags({"--out"}), {"--pin"}, rc);
    if (!args)
        return rc;
    auto f = FetchKey(*args, "key ref", true);
    if (!f.ok())
        return Fail(f.status());
    auto id = keyvault::ObjectId::Parse(f->bundle.key.kid);
    if (!id.ok())
        return Fail(id.status());
    bool pinned = !f->named.ref.version.empty() || args->Has("--pin");
    std::string uri = "azkv:" + f->named.ref.vault_url + "/keys/" + f->named.ref.name;
    if (pinned)
        uri += "/" + id->version;
    auto der = provider::EncodeKeyReference(uri, pinned ? f->pub.get() : nullptr);
    if (!der.ok())
        return Fail(der.status());
    std::string text = "azkv key reference (not a secret): " + uri +
                       "\nRead by the azkv OpenSSL provider; see azkv's docs/provider.md.\n" +
                       PemBlock(provider::kKeyRefPemLabel, *der);
    Status st = WriteText(args->GetOr("--out", "-"), text);
    if (!st.ok())
        return Fail(st);
    if (args->GetOr("--out", "-") != "-")
        std::cerr << "wrote the key reference for " << uri << " to " << *args->Get("--out") << "\n";
    return kExitOk;
}

}  // namespace azkv::cli
