// Small file helpers. State files hold private keys, so everything is written 0600 via
// tmp + rename: a crash never leaves a half-written key file behind.
#pragma once

#include <optional>
#include <string>

namespace azkv::emu {

void write_file_atomic(const std::string& path, const std::string& data, unsigned mode = 0600);
std::optional<std::string> read_file(const std::string& path);
void make_dirs(const std::string& path, unsigned mode = 0700);
std::string absolute_path(const std::string& path);

}  // namespace azkv::emu
