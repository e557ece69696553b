#include "ops_log.h"

#include <chrono>

namespace azkv::emu {

bool OpsLog::open(const std::string& path) {
    f_ = std::fopen(path.c_str(), "a");
    return f_ != nullptr;
}

void OpsLog::write(const OpsRecord& r) {
    if (!f_)
        return;
    double ts =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    nlohmann::json j = {
        {"ts", ts},           {"vault", r.vault}, {"conn", r.conn}, {"method", r.method},
        {"path", r.path},     {"op", r.op},       {"key", r.key},   {"version", r.version},
        {"status", r.status}, {"oid", r.oid},     {"ms", r.ms}};
    std::string line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    std::lock_guard lk(mu_);
    std::fwrite(line.data(), 1, line.size(), f_);
    std::fflush(f_);  // tests tail the file while the emulator runs
}

void OpsLog::close() {
    std::lock_guard lk(mu_);
    if (f_)
        std::fclose(f_);
    f_ = nullptr;
}

}  // namespace azkv::emu
