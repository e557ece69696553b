// azkv cert <command>
#include "cert_commands.h"
#include "command.h"

namespace azkv::cli {

int RunCertCommand(const std::string& command, const std::vector<std::string>& rest) {
    if (command == "list")
        return CertList(rest);
    if (command == "show")
        return CertShow(rest);
    if (command == "export")
        return CertExport(rest);
    if (command == "create-self-signed")
        return CertCreate(rest, true);
    if (command == "request")
        return CertCreate(rest, false);
    if (command == "merge")
        return CertMerge(rest);
    return Usage("unknown cert command \"" + command +
                 "\" (list, show, export, create-self-signed, request, merge)");
}

}  // namespace azkv::cli
