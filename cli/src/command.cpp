#include "command.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace azkv::cli {

int Fail(const Status& st) {
    std::cerr << "azkv: " << st.ToString() << "\n";
    switch (st.code()) {
        case ErrorCode::kNotFound:
            return kExitNotFound;
        case ErrorCode::kPermissionDenied:
        case ErrorCode::kKeyDisabled:
            return kExitDenied;
        case ErrorCode::kUnauthenticated:
            return kExitAuth;
        case ErrorCode::kUnavailable:
        case ErrorCode::kThrottled:
        case ErrorCode::kDeadlineExceeded:
            return kExitUnavailable;
        case ErrorCode::kInvalidArgument:
        case ErrorCode::kConfig:
        case ErrorCode::kUnsupported:
            return kExitBadInput;
        default:
            return kExitFailure;
    }
}

int Usage(const std::string& message) {
    std::cerr << "azkv: " << message << "\nRun 'azkv --help' for usage.\n";
    return kExitUsage;
}

StatusOr<std::shared_ptr<Runtime>> OpenRuntime(const Args& args) {
    auto cfg = LoadConfig(args.GetOr("--config", ""));
    if (!cfg.ok())
        return cfg.status();
    if (auto ca = args.Get("--ca-file"))
        cfg->http.ca_file = *ca;
    return Runtime::Create(std::move(*cfg));
}

bool WantJson(const Args& args) {
    return args.GetOr("--output", "table") == "json";
}

void PrintJson(const nlohmann::json& j) {
    std::cout << j.dump(2) << "\n";
}

StatusOr<std::vector<uint8_t>> ReadInput(const std::string& path) {
    int fd = path == "-" ? 0 : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return Status(ErrorCode::kInvalidArgument,
                      "cannot read " + path + ": " + std::strerror(errno));
    }
    std::vector<uint8_t> data;
    uint8_t buf[65536];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            if (fd != 0)
                ::close(fd);
            return Status(ErrorCode::kInvalidArgument,
                          "cannot read " + path + ": " + std::strerror(e));
        }
        if (n == 0)
            break;
        data.insert(data.end(), buf, buf + n);
    }
    if (fd != 0)
        ::close(fd);
    return data;
}

Status WriteOutput(const std::string& path, const uint8_t* data, size_t len) {
    int fd = path == "-" ? 1 : ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        return Status(ErrorCode::kInvalidArgument,
                      "cannot write " + path + ": " + std::strerror(errno));
    }
    size_t off = 0;
    while (off < len) {
        ssize_t n = ::write(fd, data + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        off += static_cast<size_t>(n);
    }
    if (fd != 1)
        ::close(fd);
    if (off != len)
        return Status(ErrorCode::kInternal, "short write to " + path);
    return Status::Ok();
}

}  // namespace azkv::cli
