#pragma once
// Azure Arc proves the caller may read a root-owned directory: it names a secret file there in
// its 401 challenge. A hostile or confused endpoint could name any file instead, so the path is
// checked before anything is read (doc §4.3).

#include <string>

#include "azkv/util/secret.h"
#include "azkv/util/status.h"

namespace azkv::identity {

inline constexpr const char* kDefaultArcTokenDir = "/var/opt/azcmagent/tokens";
inline constexpr long kMaxArcSecretBytes = 4096;

// Reads the secret file at `path`, which must be a regular file (not a symlink) directly inside
// `dir`, named *.key, and at most 4096 bytes. Trailing CR/LF are dropped.
StatusOr<SecretString> ReadArcSecret(const std::string& path, const std::string& dir);

}  // namespace azkv::identity
