// JSON-lines record of every vault and identity request (--ops-log). Tokens never appear here:
// the caller is identified by object id only.
#pragma once

#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

namespace azkv::emu {

struct OpsRecord {
    std::string vault;  // vault name, or "identity"
    uint64_t conn = 0;
    std::string method, path, op, key, version, oid;
    int status = 0;
    double ms = 0;
};

class OpsLog {
public:
    bool open(const std::string& path);
    void write(const OpsRecord& r);
    void close();
    ~OpsLog() { close(); }

private:
    std::mutex mu_;
    FILE* f_ = nullptr;
};

}  // namespace azkv::emu
