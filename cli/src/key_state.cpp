// azkv key enable | disable | delete
#include <unistd.h>

#include "command.h"
#include "key_commands.h"
#include "key_ref.h"
#include "key_view.h"

namespace azkv::cli {
namespace {

// Deleting needs --yes, or the key's name typed on a terminal.
bool Confirmed(const Args& args, const std::string& vault, const std::string& name) {
    if (args.Has("--yes"))
        return true;
    if (::isatty(0) != 1)
        return false;
    std::cerr << "Delete key " << name << " from " << vault
              << "? It stays recoverable for the vault's retention period.\n"
              << "Type the key name to confirm: " << std::flush;
    std::string answer;
    std::getline(std::cin, answer);
    return answer == name;
}

}  // namespace

int KeySetEnabled(const std::vector<std::string>& argv, bool enabled) {
    int rc = 0;
    auto args = ParseOrUsage(argv, CommonFlags(), {}, rc);
    if (!args)
        return rc;
    auto nk = OpenNamedObject(*args, enabled ? "key enable" : "key disable");
    if (!nk.ok())
        return Fail(nk.status());
    keyvault::UpdateKeyParams p;
    p.enabled = enabled;
    auto bundle = nk->client->UpdateKey(nk->ref.name, nk->ref.version, p);
    if (!bundle.ok())
        return Fail(bundle.status());
    if (WantJson(*args))
        PrintJson(BundleJson(*bundle, nullptr));
    else
        std::cout << (enabled ? "enabled " : "disabled ") << bundle->key.kid << "\n";
    return kExitOk;
}

int KeyDelete(const std::vector<std::string>& argv) {
    int rc = 0;
    auto args = ParseOrUsage(argv, CommonFlags(), {"--yes"}, rc);
    if (!args)
        return rc;
    auto nk = OpenNamedObject(*args, "key delete");
    if (!nk.ok())
        return Fail(nk.status());
    if (!nk->ref.version.empty())
        return Usage("key delete deletes every version: name the key without a version");
    if (!Confirmed(*args, nk->ref.vault_url, nk->ref.name)) {
        return Usage("not deleting key " + nk->ref.name + ": confirm on a terminal or pass --yes");
    }
    Status st = nk->client->DeleteKey(nk->ref.name);
    if (!st.ok())
        return Fail(st);
    if (WantJson(*args)) {
        PrintJson({{"deleted", nk->ref.name}, {"vault", nk->ref.vault_url}});
    } else {
        std::cout << "deleted key " << nk->ref.name << " from " << nk->ref.vault_url
                  << " (recoverable during the vault's retention period)\n";
    }
    return kExitOk;
}

}  // namespace azkv::cli
