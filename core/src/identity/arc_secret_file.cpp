#include "identity/arc_secret_file.h"

#include "identity/secret_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace azkv::identity {
namespace {

Status Refused(const std::string& path, const std::string& why) {
    return {ErrorCode::kBadResponse,
            "arc: the challenge names secret file " + path + ", which is refused: " + why};
}

// "." or ".." anywhere would let a path look like it is in `dir` while it is not.
bool HasDotSegment(const std::string& path) {
    size_t start = 0;
    while (start <= path.size()) {
        size_t end = path.find('/', start);
        if (end == std::string::npos)
            end = path.size();
        std::string_view seg(path.data() + start, end - start);
        if (seg == "." || seg == "..")
            return true;
        start = end + 1;
    }
    return false;
}

Status CheckName(const std::string& path, std::string dir) {
    while (dir.size() > 1 && dir.back() == '/')
        dir.pop_back();
    if (path.empty() || path[0] != '/')
        return Refused(path, "not an absolute path");
    if (HasDotSegment(path))
        return Refused(path, "it contains '.' or '..'");
    size_t slash = path.rfind('/');
    std::string parent = slash == 0 ? "/" : path.substr(0, slash);
    std::string name = path.substr(slash + 1);
    if (parent != dir)
        return Refused(path, "it is not directly inside " + dir);
    static const std::string kExt = ".key";
    if (name.size() <= kExt.size() || name.compare(name.size() - kExt.size(), kExt.size(), kExt)) {
        return Refused(path, "its name does not end in .key");
    }
    return Status::Ok();
}

class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0)
            ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

}  // namespace

StatusOr<SecretString> ReadArcSecret(const std::string& path, const std::string& dir) {
    AZKV_RETURN_IF_ERROR(CheckName(path, dir));
    // O_NOFOLLOW: a symlink planted in the directory is refused by the kernel, with no window
    // between a check and the open. O_NONBLOCK: a FIFO must not hang us.
    Fd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
    if (fd.get() < 0) {
        int err = errno;
        if (err == ELOOP)
            return Refused(path, "it is a symbolic link");
        return Status(err == EACCES ? ErrorCode::kPermissionDenied : ErrorCode::kUnavailable,
                      "arc: cannot open secret file " + path + ": " + std::strerror(err) +
                          (err == EACCES ? " (the process must be in the himds group)" : ""));
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0)
        return Refused(path, std::strerror(errno));
    if (!S_ISREG(st.st_mode))
        return Refused(path, "it is not a regular file");
    if (st.st_size > kMaxArcSecretBytes)
        return Refused(path, "it is larger than 4096 bytes");

    AZKV_ASSIGN_OR_RETURN(SecretString secret,
                          ReadSecretFd(fd.get(), kMaxArcSecretBytes, "arc: secret file " + path));
    for (char ch : secret.reveal()) {
        auto c = static_cast<unsigned char>(ch);
        // It becomes a header value: a control character could split the request.
        if (c < 0x20 || c == 0x7f)
            return Refused(path, "it contains control characters");
    }
    return secret;
}

}  // namespace azkv::identity
