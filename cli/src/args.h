#pragma once
// A small, strict command-line parser: `azkv <group> <command> [--flag value] [--switch]`.
// Unknown flags are errors that name the flag and list the known ones.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace azkv::cli {

class Args {
public:
    // `value_flags` take a value; `switches` do not. Positionals are kept in order.
    static std::optional<Args> Parse(const std::vector<std::string>& argv,
                                     const std::set<std::string>& value_flags,
                                     const std::set<std::string>& switches, std::string& error);

    std::optional<std::string> Get(const std::string& flag) const;
    std::string GetOr(const std::string& flag, const std::string& fallback) const;
    bool Has(const std::string& flag) const { return switches_.count(flag) != 0; }
    const std::vector<std::string>& positionals() const { return positionals_; }

private:
    std::map<std::string, std::string> values_;
    std::set<std::string> switches_;
    std::vector<std::string> positionals_;
};

}  // namespace azkv::cli
