#pragma once
// The `azkv key` commands, one file per concern (key_create, key_show, key_list, key_state).

#include <string>
#include <vector>

namespace azkv::cli {

int KeyCreate(const std::vector<std::string>& argv);
int KeyRotate(const std::vector<std::string>& argv);
int KeyShow(const std::vector<std::string>& argv);
int KeyExportPub(const std::vector<std::string>& argv);
int KeyRefFile(const std::vector<std::string>& argv);
int KeyList(const std::vector<std::string>& argv);
int KeySetEnabled(const std::vector<std::string>& argv, bool enabled);
int KeyDelete(const std::vector<std::string>& argv);

}  // namespace azkv::cli
