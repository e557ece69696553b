#include "log.h"

#include <atomic>
#include <cstdio>

namespace azkv::emu {
namespace {
std::atomic<int> g_level{static_cast<int>(LogLevel::Warn)};
}

void set_log_level(const std::string& level) {
    LogLevel l = level == "error"   ? LogLevel::Error
                 : level == "info"  ? LogLevel::Info
                 : level == "debug" ? LogLevel::Debug
                                    : LogLevel::Warn;
    g_level = static_cast<int>(l);
}

bool log_enabled(LogLevel l) {
    return static_cast<int>(l) <= g_level.load();
}

void log_line(LogLevel l, const std::string& msg) {
    if (!log_enabled(l))
        return;
    static const char* names[] = {"error", "warn", "info", "debug"};
    std::fprintf(stderr, "azkv-emulator: %s: %s\n", names[static_cast<int>(l)], msg.c_str());
}

}  // namespace azkv::emu
