#include "identity/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace azkv::identity {
namespace {

using Clock = std::chrono::steady_clock;
constexpr size_t kMaxStderr = 4096;

class Pipe {
public:
    Pipe() {
        if (::pipe2(fds_, O_CLOEXEC) != 0)
            fds_[0] = fds_[1] = -1;
    }
    ~Pipe() {
        CloseRead();
        CloseWrite();
    }
    Pipe(const Pipe&) = delete;
    Pipe& operator=(const Pipe&) = delete;
    bool ok() const { return fds_[0] >= 0; }
    int read_end() const { return fds_[0]; }
    int write_end() const { return fds_[1]; }
    void CloseRead() { Close(0); }
    void CloseWrite() { Close(1); }

private:
    void Close(int i) {
        if (fds_[i] >= 0)
            ::close(fds_[i]);
        fds_[i] = -1;
    }
    int fds_[2] = {-1, -1};
};

class SpawnActions {
public:
    SpawnActions() { posix_spawn_file_actions_init(&fa_); }
    ~SpawnActions() { posix_spawn_file_actions_destroy(&fa_); }
    SpawnActions(const SpawnActions&) = delete;
    SpawnActions& operator=(const SpawnActions&) = delete;
    posix_spawn_file_actions_t* get() { return &fa_; }

private:
    posix_spawn_file_actions_t fa_{};
};

class SpawnAttr {
public:
    SpawnAttr() { posix_spawnattr_init(&attr_); }
    ~SpawnAttr() { posix_spawnattr_destroy(&attr_); }
    SpawnAttr(const SpawnAttr&) = delete;
    SpawnAttr& operator=(const SpawnAttr&) = delete;
    posix_spawnattr_t* get() { return &attr_; }

private:
    posix_spawnattr_t attr_{};
};

// Collects the child's exit code, killing its group if it outlives the deadline (it may close
// its output and keep running). ECHILD (the host set SIGCHLD to SIG_IGN) leaves -1.
int Reap(pid_t pid, Clock::time_point deadline, bool* killed) {
    int status = 0;
    pid_t r = 0;
    while (true) {
        r = ::waitpid(pid, &status, WNOHANG);
        if (r != 0 && !(r < 0 && errno == EINTR))
            break;
        if (r == 0 && Clock::now() >= deadline) {
            ::kill(-pid, SIGKILL);
            *killed = true;
            do {
                r = ::waitpid(pid, &status, 0);
            } while (r < 0 && errno == EINTR);
            break;
        }
        if (r == 0)
            ::usleep(5000);
    }
    if (r == pid && WIFEXITED(status))
        return WEXITSTATUS(status);
    return -1;
}

}  // namespace

StatusOr<ProcessResult> RunProcess(const std::string& path, const std::vector<std::string>& argv,
                                   std::chrono::milliseconds timeout, size_t max_output) {
    Pipe out;
    Pipe err;
    if (!out.ok() || !err.ok()) {
        return Status(ErrorCode::kInternal,
                      "cannot create a pipe: " + std::string(std::strerror(errno)));
    }
    SpawnActions actions;
    posix_spawn_file_actions_addopen(actions.get(), 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(actions.get(), out.write_end(), 1);
    posix_spawn_file_actions_adddup2(actions.get(), err.write_end(), 2);
    // Its own process group, so that a timeout kills the interpreter `az` starts too.
    SpawnAttr attr;
    posix_spawnattr_setflags(attr.get(), POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(attr.get(), 0);

    std::vector<char*> cargv;
    cargv.reserve(argv.size() + 1);
    for (const auto& a : argv)
        cargv.push_back(const_cast<char*>(a.c_str()));
    cargv.push_back(nullptr);
    pid_t pid = 0;
    // posix_spawn, not fork: the host may be multi-threaded, and a forked copy of it could
    // deadlock on a lock some other thread held.
    int rc = ::posix_spawn(&pid, path.c_str(), actions.get(), attr.get(), cargv.data(), environ);
    if (rc != 0) {
        return Status(ErrorCode::kUnavailable,
                      "cannot run " + path + ": " + std::string(std::strerror(rc)));
    }
    out.CloseWrite();
    err.CloseWrite();

    ProcessResult result;
    Status failure;
    const auto deadline = Clock::now() + timeout;
    pollfd fds[2] = {{out.read_end(), POLLIN, 0}, {err.read_end(), POLLIN, 0}};
    while ((fds[0].fd >= 0 || fds[1].fd >= 0) && failure.ok()) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) {
            failure = Status(ErrorCode::kDeadlineExceeded, path + " did not finish within " +
                                                               std::to_string(timeout.count()) +
                                                               " ms and was killed");
            break;
        }
        int n = ::poll(fds, 2, static_cast<int>(left.count()));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            failure = Status(ErrorCode::kInternal, "poll: " + std::string(std::strerror(errno)));
            break;
        }
        char chunk[4096];
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0)
                continue;
            ssize_t got = ::read(fds[i].fd, chunk, sizeof chunk);
            if (got < 0 && errno == EINTR)
                continue;
            if (got <= 0) {
                fds[i].fd = -1;
                continue;
            }
            if (i == 0) {
                result.out.insert(result.out.end(), chunk, chunk + got);
            } else if (result.err.size() < kMaxStderr) {
                result.err.append(chunk, static_cast<size_t>(got));
            }
        }
        SecureWipe(chunk, sizeof chunk);
        if (result.out.size() > max_output) {
            failure = Status(
                ErrorCode::kBadResponse,
                path + " wrote more than " + std::to_string(max_output) + " bytes; it was killed");
        }
    }
    if (!failure.ok())
        ::kill(-pid, SIGKILL);
    bool killed = false;
    result.exit_code = Reap(pid, deadline, &killed);
    if (!failure.ok())
        return failure;
    if (killed) {
        return Status(ErrorCode::kDeadlineExceeded, path + " did not exit within " +
                                                        std::to_string(timeout.count()) +
                                                        " ms and was killed");
    }
    return result;
}

}  // namespace azkv::identity
