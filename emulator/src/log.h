// Diagnostic log on stderr. Never pass tokens, identity headers or Arc secrets here.
#pragma once

#include <string>

namespace azkv::emu {

enum class LogLevel { Error = 0, Warn = 1, Info = 2, Debug = 3 };
void set_log_level(const std::string& level);
bool log_enabled(LogLevel l);
void log_line(LogLevel l, const std::string& msg);

}  // namespace azkv::emu
