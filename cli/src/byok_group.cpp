// azkv byok <command>
#include "byok_commands.h"
#include "command.h"

namespace azkv::cli {

int RunByokCommand(const std::string& command, const std::vector<std::string>& rest) {
    if (command == "kek") {
        std::string sub = rest.empty() ? "" : rest[0];
        std::vector<std::string> tail(rest.empty() ? rest.end() : rest.begin() + 1, rest.end());
        if (sub == "create")
            return ByokKekCreate(tail);
        if (sub == "export")
            return ByokKekExport(tail);
        return Usage("byok kek takes create or export");
    }
    if (command == "wrap")
        return ByokWrap(rest);
    if (command == "import")
        return ByokImport(rest);
    return Usage("unknown byok command \"" + command + "\" (kek create, kek export, wrap, import)");
}

}  // namespace azkv::cli
