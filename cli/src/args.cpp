#include "args.h"

namespace azkv::cli {

std::optional<Args> Args::Parse(const std::vector<std::string>& argv,
                                const std::set<std::string>& value_flags,
                                const std::set<std::string>& switches, std::string& error) {
    Args a;
    for (size_t i = 0; i < argv.size(); ++i) {
        const std::string& arg = argv[i];
        if (arg.rfind("--", 0) != 0 || arg == "--") {
            a.positionals_.push_back(arg);
            continue;
        }
        std::string name = arg;
        std::optional<std::string> inline_value;
        if (size_t eq = arg.find('='); eq != std::string::npos) {
            name = arg.substr(0, eq);
            inline_value = arg.substr(eq + 1);
        }
        if (value_flags.count(name) != 0) {
            if (inline_value) {
                a.values_[name] = *inline_value;
            } else if (i + 1 < argv.size()) {
                a.values_[name] = argv[++i];
            } else {
                error = name + " needs a value";
                return std::nullopt;
            }
        } else if (switches.count(name) != 0 && !inline_value) {
            a.switches_.insert(name);
        } else {
            std::string known;
            for (const auto& f : value_flags)
                known += " " + f;
            for (const auto& f : switches)
                known += " " + f;
            error = "unknown option " + name + " (known here:" + known + ")";
            return std::nullopt;
        }
    }
    return a;
}

std::optional<std::string> Args::Get(const std::string& flag) const {
    auto it = values_.find(flag);
    if (it == values_.end())
        return std::nullopt;
    return it->second;
}

std::string Args::GetOr(const std::string& flag, const std::string& fallback) const {
    return Get(flag).value_or(fallback);
}

}  // namespace azkv::cli
