// azkv: the operators' command-line tool for vault keys, certificates, BYOK and diagnosis.
#include <iostream>
#include <string>
#include <vector>

#include "command.h"
#include "help.h"

namespace {

using azkv::cli::kExitOk;
using azkv::cli::kExitUsage;

bool IsHelp(const std::string& a) {
    return a == "--help" || a == "-h" || a == "help";
}

const std::set<std::string> kGroups = {"key", "cert", "byok"};

int Dispatch(const std::vector<std::string>& args) {
    const std::string& group = args[0];
    std::vector<std::string> rest(args.begin() + 1, args.end());
    if (kGroups.count(group) != 0) {
        if (rest.empty()) {
            azkv::cli::PrintHelp(group);
            return kExitUsage;
        }
        std::string command = rest[0];
        rest.erase(rest.begin());
        if (group == "key")
            return azkv::cli::RunKeyCommand(command, rest);
        if (group == "cert")
            return azkv::cli::RunCertCommand(command, rest);
        return azkv::cli::RunByokCommand(command, rest);
    }
    if (group == "sign")
        return azkv::cli::RunSign(rest);
    if (group == "verify")
        return azkv::cli::RunVerify(rest);
    if (group == "encrypt" || group == "decrypt")
        return azkv::cli::RunCipher(group, rest);
    if (group == "wrap" || group == "unwrap")
        return azkv::cli::RunCipher(group + "key", rest);
    if (group == "doctor")
        return azkv::cli::RunDoctor(rest);
    return azkv::cli::Usage("unknown command \"" + group + "\"");
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        azkv::cli::PrintHelp("");
        return kExitUsage;
    }
    if (args[0] == "--version" || args[0] == "version") {
        std::cout << "azkv 0.1.0\n";
        return kExitOk;
    }
    // --help anywhere: the help of the deepest known topic before it.
    for (size_t i = 0; i < args.size(); ++i) {
        if (!IsHelp(args[i]))
            continue;
        std::string topic;
        for (size_t j = 0; j < i && j < 2 && args[j].rfind("-", 0) != 0; ++j)
            topic = topic.empty() ? args[j] : topic + " " + args[j];
        while (!topic.empty() && !azkv::cli::PrintHelp(topic)) {
            size_t sp = topic.rfind(' ');
            topic = sp == std::string::npos ? "" : topic.substr(0, sp);
        }
        if (topic.empty())
            azkv::cli::PrintHelp("");
        return kExitOk;
    }
    return Dispatch(args);
}
