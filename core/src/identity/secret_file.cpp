#include "identity/secret_file.h"

#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <vector>

namespace azkv::identity {

StatusOr<SecretString> ReadSecretFd(int fd, size_t max_bytes, const std::string& what) {
    // One byte more than allowed, so that an oversized file is noticed rather than cut short.
    std::vector<char, WipingAllocator<char>> buf(max_bytes + 1);
    size_t len = 0;
    while (len < buf.size()) {
        ssize_t n = ::read(fd, buf.data() + len, buf.size() - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            return Status(ErrorCode::kUnavailable,
                          what + ": cannot read: " + std::string(std::strerror(errno)));
        }
        if (n == 0)
            break;
        len += static_cast<size_t>(n);
    }
    if (len > max_bytes) {
        return Status(ErrorCode::kBadResponse,
                      what + " is larger than " + std::to_string(max_bytes) + " bytes");
    }
    while (len > 0 && std::isspace(static_cast<unsigned char>(buf[len - 1])))
        --len;
    if (len == 0)
        return Status(ErrorCode::kBadResponse, what + " is empty");
    return SecretString(std::string_view(buf.data(), len));
}

}  // namespace azkv::identity
