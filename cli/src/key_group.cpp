// azkv key <command>
#include "command.h"
#include "key_commands.h"

namespace azkv::cli {

int RunKeyCommand(const std::string& command, const std::vector<std::string>& rest) {
    if (command == "create")
        return KeyCreate(rest);
    if (command == "rotate")
        return KeyRotate(rest);
    if (command == "show")
        return KeyShow(rest);
    if (command == "list")
        return KeyList(rest);
    if (command == "export-pub")
        return KeyExportPub(rest);
    if (command == "ref")
        return KeyRefFile(rest);
    if (command == "enable")
        return KeySetEnabled(rest, true);
    if (command == "disable")
        return KeySetEnabled(rest, false);
    if (command == "delete")
        return KeyDelete(rest);
    return Usage("unknown key command \"" + command +
                 "\" (list, show, create, rotate, enable, disable, delete, export-pub, ref)");
}

}  // namespace azkv::cli
