#pragma once
// Reading a small file that holds a secret (an Arc challenge secret, a federated token) without
// leaving plain copies of it in freed memory.

#include <cstddef>
#include <string>

#include "azkv/util/secret.h"
#include "azkv/util/status.h"

namespace azkv::identity {

// Reads all of `fd` (opened by the caller, not closed here). Fails when it holds more than
// `max_bytes` or nothing. Trailing whitespace (a newline an editor added) is dropped. `what` names
// the file in errors, e.g. "arc: secret file /x.key".
StatusOr<SecretString> ReadSecretFd(int fd, size_t max_bytes, const std::string& what);

}  // namespace azkv::identity
