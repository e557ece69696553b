#include "http_util.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>

namespace azkv::emu {
namespace {
thread_local uint64_t t_conn_id = 0;

bool endpoint_of(int fd, bool peer, std::string& addr, int& port) {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    int rc = peer ? getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len)
                  : getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
    if (rc != 0)
        return false;
    char host[NI_MAXHOST], serv[NI_MAXSERV];
    if (getnameinfo(reinterpret_cast<sockaddr*>(&ss), len, host, sizeof host, serv, sizeof serv,
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        return false;
    addr = host;
    port = std::atoi(serv);
    return true;
}
}  // namespace

bool split_path(const std::string& path, std::vector<std::string>& segs) {
    segs.clear();
    size_t i = 0;
    if (!path.empty() && path[0] == '/')
        i = 1;
    std::string p = path.substr(i);
    if (!p.empty() && p.back() == '/')
        p.pop_back();
    if (p.empty())
        return true;
    size_t start = 0;
    while (true) {
        size_t slash = p.find('/', start);
        std::string seg =
            p.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
        if (seg.empty())
            return false;
        segs.push_back(seg);
        if (slash == std::string::npos)
            break;
        start = slash + 1;
    }
    return true;
}

void reply_json(httplib::Response& res, int status, const nlohmann::json& body) {
    res.status = status;
    res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                    "application/json; charset=utf-8");
}

uint64_t current_connection_id() {
    return t_conn_id;
}
void set_current_connection_id(uint64_t id) {
    t_conn_id = id;
}

// httplib 0.11 does not hand the socket to handlers. We find the fd whose peer and local
// endpoints match this request, arm SO_LINGER {1,0} and dup2() a fresh unconnected socket
// over it: the kernel closes the original with an RST, and httplib keeps a harmless dead fd
// that it closes later.
bool reset_connection(const httplib::Request& req) {
    DIR* d = opendir("/proc/self/fd");
    if (!d)
        return false;
    bool done = false;
    while (dirent* e = readdir(d)) {
        int fd = std::atoi(e->d_name);
        if (fd <= 2 || fd == dirfd(d))
            continue;
        std::string addr;
        int port = 0;
        if (!endpoint_of(fd, true, addr, port) || port != req.remote_port ||
            addr != req.remote_addr)
            continue;
        if (!endpoint_of(fd, false, addr, port) || port != req.local_port)
            continue;
        linger lg{1, 0};
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
        sockaddr_storage ss{};
        socklen_t len = sizeof ss;
        getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
        int fresh = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fresh >= 0) {
            dup2(fresh, fd);
            close(fresh);
            done = true;
        }
        break;
    }
    closedir(d);
    return done;
}

}  // namespace azkv::emu
