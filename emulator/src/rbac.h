// Role assignments (--rbac FILE). Without a file every identity may do everything.
// An assignment scoped to one key never grants vault-wide actions such as list, which is how
// "may get+sign this key but not list the vault" is expressed.
#pragma once

#include <string>
#include <vector>

namespace azkv::emu {

struct RbacAssignment {
    std::string identity;  // object id, client id, identity name, or "*"
    std::string vault;     // name or "*"
    std::string key;       // key name or "*"
    std::vector<std::string> actions;
};

class Rbac {
public:
    void load(const std::string& path);  // throws std::runtime_error on a malformed file
    bool enabled() const { return enabled_; }
    // key empty = a vault-wide action (list, rng, ...).
    bool allowed(const std::string& oid, const std::string& vault, const std::string& key,
                 const std::string& action) const;

private:
    bool enabled_ = false;
    std::vector<RbacAssignment> assignments_;
};

}  // namespace azkv::emu
