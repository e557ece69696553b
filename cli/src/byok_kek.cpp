// azkv byok kek create | kek export: the key-exchange key that receives a BYOK transfer.
#include "azkv/keyvault/jwk_key.h"
#include "byok_commands.h"
#include "command.h"
#include "key_ref.h"
#include "key_view.h"

namespace azkv::cli {

int ByokKekCreate(const std::vector<std::string>& argv) {
    int rc = 0;
    auto args = ParseOrUsage(argv, CommonFlags({"--name", "--size", "--expires"}), {}, rc);
    if (!args)
        return rc;
    auto name = args->Get("--name");
    if (!name || !args->Get("--vault"))
        return Usage("byok kek create needs --vault URL|LABEL and --name NAME");
    keyvault::CreateKeyParams p;
    p.kty = "RSA-HSM";
    p.key_size = std::atoi(args->GetOr("--size", "2048").c_str());
    if (p.key_size != 2048 && p.key_size != 3072 && p.key_size != 4096)
        return Usage("--size for a KEK is 2048, 3072 or 4096");
    p.key_ops = {"import"};  // the service accepts a KEK only with exactly this operation
    if (auto exp = args->Get("--expires"))
        p.expires = std::atoll(exp->c_str());
    std::shared_ptr<Runtime> rt;
    auto client = VaultFromFlag(*args, &rt);
    if (!client.ok())
        return Fail(client.status());
    auto bundle = (*client)->CreateKey(*name, p);
    if (!bundle.ok())
        return Fail(bundle.status());
    if (WantJson(*args)) {
        PrintJson(BundleJson(*bundle, nullptr));
    } else {
        std::cout << "created key-exchange key " << bundle->key.kid
                  << "\nnext: azkv byok kek export " << bundle->key.kid << " --out kek.pem\n";
    }
    return kExitOk;
}

int ByokKekExport(const std::vector<std::string>& argv) {
    int rc = 0;
    auto args = ParseOrUsage(argv, CommonFlags({"--out"}), {}, rc);
    if (!args)
        return rc;
    auto nk = OpenNamedObject(*args, "byok kek export");
    if (!nk.ok())
        return Fail(nk.status());
    auto bundle = nk->client->GetKey(nk->ref.name, nk->ref.version);
    if (!bundle.ok())
        return Fail(bundle.status());
    if (bundle->key.kty != "RSA-HSM" || bundle->key.key_ops != std::vector<std::string>{"import"}) {
        return Fail(Status(ErrorCode::kUnsupported,
                           "vault " + nk->ref.vault_url + " key " + nk->ref.name +
                               " kek export: not a key-exchange key (it must be RSA-HSM with "
                               "key_ops [import], it is " +
                               bundle->key.kty + " [" + Join(bundle->key.key_ops) +
                               "]); create one with azkv byok kek create"));
    }
    auto pub = keyvault::PublicKeyFromJwk(bundle->key);
    if (!pub.ok())
        return Fail(pub.status());
    auto pem = PublicPem(pub->get());
    if (!pem.ok())
        return Fail(pem.status());
    Status st = WriteText(args->GetOr("--out", "-"), *pem);
    if (!st.ok())
        return Fail(st);
    if (args->GetOr("--out", "-") != "-")
        std::cerr << "KEK " << bundle->key.kid << " written to " << *args->Get("--out") << "\n";
    return kExitOk;
}

}  // namespace azkv::cli
