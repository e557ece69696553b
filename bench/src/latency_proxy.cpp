// azkv-latency-proxy: a TCP forwarder that delays every chunk by RTT/2 in each direction, so that
// a loopback benchmark pays real round trips (tc netem is not available on the bench machines).
//
//   azkv-latency-proxy --listen 127.0.0.1:PORT --to 127.0.0.2:PORT --rtt-ms 5 [--ready-file F]
//
// One epoll thread. The delay is the same for every chunk, so the chunks waiting to be forwarded
// form one queue already sorted by due time. A read end of file (or error) is forwarded in order
// as a shutdown of the other side, so TLS close_notify and connection reuse behave as without
// the proxy. Ordering within a connection is kept because everything goes through one queue.
// Nothing blocks: upstream connects and writes are non-blocking, and data a socket cannot take
// yet waits in that direction's outbox.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Endpoint {
    std::string host;
    int port = 0;
};

bool ParseEndpoint(const std::string& s, Endpoint& out) {
    size_t colon = s.rfind(':');
    if (colon == std::string::npos)
        return false;
    out.host = s.substr(0, colon);
    out.port = std::atoi(s.c_str() + colon + 1);
    return out.port >= 0 && out.port < 65536;
}

sockaddr_in Address(const Endpoint& e) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(e.port));
    inet_pton(AF_INET, e.host.c_str(), &a.sin_addr);
    return a;
}

// A pair of sockets; each side forwards to the other.
struct Link {
    int fd[2] = {-1, -1};    // 0 = client side, 1 = server side
    bool read_done[2] = {};  // no more data will be read from fd[i]
    int pending = 0;         // queued chunks not yet written
    // Due data that the socket could not take yet, per destination side ("" = shut down).
    std::deque<std::string> outbox[2];
    size_t outbox_offset[2] = {0, 0};
    bool want_write[2] = {};
    bool registered[2] = {};  // in the epoll set
    bool closed = false;
    uint64_t id = 0;
};

struct Chunk {
    Clock::time_point due;
    std::shared_ptr<Link> link;
    int to = 0;        // index of the socket to write to
    std::string data;  // empty: shut down the write side
};

void SetNonBlocking(int fd) {
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

void NoDelay(int fd) {
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

class Proxy {
public:
    Proxy(Endpoint target, std::chrono::microseconds one_way)
        : target_(std::move(target)), delay_(one_way) {}

    int Listen(const Endpoint& where) {
        listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
        int one = 1;
        setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in a = Address(where);
        if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
            listen(listen_fd_, 1024) != 0) {
            std::perror("azkv-latency-proxy: bind/listen");
            return -1;
        }
        socklen_t len = sizeof a;
        getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len);
        SetNonBlocking(listen_fd_);
        epoll_ = epoll_create1(0);
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u64 = kListenTag;
        epoll_ctl(epoll_, EPOLL_CTL_ADD, listen_fd_, &ev);
        return ntohs(a.sin_port);
    }

    void Run() {
        std::vector<epoll_event> events(256);
        for (;;) {
            // Microsecond timeouts (epoll_pwait2): epoll_wait's whole milliseconds would round
            // every 2.5 ms half-RTT up to 3 ms and make the proxy, not the client, the cost.
            timespec wait{};
            timespec* timeout = nullptr;
            if (!queue_.empty()) {
                auto left = std::chrono::duration_cast<std::chrono::nanoseconds>(
                    queue_.front().due - Clock::now());
                long ns = std::max<long>(0, static_cast<long>(left.count()));
                wait.tv_sec = ns / 1000000000L;
                wait.tv_nsec = ns % 1000000000L;
                timeout = &wait;
            }
            int n = epoll_pwait2(epoll_, events.data(), static_cast<int>(events.size()), timeout,
                                 nullptr);
            for (int i = 0; i < n; ++i) {
                if (events[i].data.u64 == kListenTag) {
                    Accept();
                } else {
                    if (events[i].events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
                        OnWritable(events[i].data.u64);
                    if (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP))
                        OnReadable(events[i].data.u64);
                }
            }
            Flush();
        }
    }

private:
    static constexpr uint64_t kListenTag = ~0ULL;

    void Accept() {
        for (;;) {
            int c = accept(listen_fd_, nullptr, nullptr);
            if (c < 0)
                return;
            // Never block the loop on a slow upstream (a full accept queue drops SYNs for a
            // second or more): connect without waiting; data for it waits in its outbox.
            int s = socket(AF_INET, SOCK_STREAM, 0);
            SetNonBlocking(s);
            sockaddr_in a = Address(target_);
            if (connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 &&
                errno != EINPROGRESS) {
                close(s);
                close(c);
                continue;
            }
            NoDelay(c);
            NoDelay(s);
            SetNonBlocking(c);
            auto link = std::make_shared<Link>();
            link->fd[0] = c;
            link->fd[1] = s;
            uint64_t id = next_id_++;
            link->id = id;
            links_[id] = link;
            for (int side = 0; side < 2; ++side) {
                epoll_event ev{};
                ev.events = EPOLLIN;
                ev.data.u64 = id * 2 + static_cast<uint64_t>(side);
                epoll_ctl(epoll_, EPOLL_CTL_ADD, link->fd[side], &ev);
                link->registered[side] = true;
            }
        }
    }

    void OnReadable(uint64_t tag) {
        auto it = links_.find(tag / 2);
        if (it == links_.end())
            return;
        std::shared_ptr<Link> link = it->second;
        int side = static_cast<int>(tag % 2);
        if (link->read_done[side])
            return;
        char buf[65536];
        for (;;) {
            ssize_t r = recv(link->fd[side], buf, sizeof buf, 0);
            if (r > 0) {
                Enqueue(link, 1 - side, std::string(buf, static_cast<size_t>(r)));
                continue;
            }
            if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                return;
            if (r < 0 && errno == EINTR)
                continue;
            // End of file or error: stop reading this side, pass the shutdown on in order.
            link->read_done[side] = true;
            UpdateInterest(*link, side, tag);
            Enqueue(link, 1 - side, std::string());
            return;
        }
    }

    void Enqueue(const std::shared_ptr<Link>& link, int to, std::string data) {
        ++link->pending;
        queue_.push_back({Clock::now() + delay_, link, to, std::move(data)});
    }

    void Flush() {
        auto now = Clock::now();
        while (!queue_.empty() && queue_.front().due <= now) {
            Chunk c = std::move(queue_.front());
            queue_.pop_front();
            Link& l = *c.link;
            --l.pending;
            if (!l.closed) {
                l.outbox[c.to].push_back(std::move(c.data));
                Drain(c.link, c.to);
            }
            MaybeClose(c.link);
        }
    }

    void OnWritable(uint64_t tag) {
        auto it = links_.find(tag / 2);
        if (it == links_.end())
            return;
        std::shared_ptr<Link> link = it->second;
        Drain(link, static_cast<int>(tag % 2));
        MaybeClose(link);
    }

    // Writes what the socket takes now; the rest waits for EPOLLOUT.
    void Drain(const std::shared_ptr<Link>& link, int to) {
        Link& l = *link;
        auto& box = l.outbox[to];
        while (!box.empty()) {
            const std::string& data = box.front();
            if (data.empty()) {
                shutdown(l.fd[to], SHUT_WR);
                box.pop_front();
                continue;
            }
            size_t& off = l.outbox_offset[to];
            ssize_t n = send(l.fd[to], data.data() + off, data.size() - off, MSG_NOSIGNAL);
            if (n > 0) {
                off += static_cast<size_t>(n);
                if (off == data.size()) {
                    box.pop_front();
                    off = 0;
                }
            } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOTCONN ||
                                 errno == EINTR)) {
                break;
            } else {
                // The receiver is gone: drop what is left and stop both directions.
                for (int side = 0; side < 2; ++side) {
                    l.outbox[side].clear();
                    l.read_done[side] = true;
                }
                break;
            }
        }
        l.want_write[to] = !box.empty();
        for (int side = 0; side < 2; ++side)
            UpdateInterest(l, side, l.id * 2 + static_cast<uint64_t>(side));
    }

    // A side is in the epoll set only while it has something to wait for, so that a hung-up
    // socket cannot make the loop spin.
    void UpdateInterest(Link& l, int side, uint64_t tag) {
        if (l.closed)
            return;
        epoll_event ev{};
        ev.events = (l.read_done[side] ? 0u : static_cast<uint32_t>(EPOLLIN)) |
                    (l.want_write[side] ? static_cast<uint32_t>(EPOLLOUT) : 0u);
        ev.data.u64 = tag;
        if (ev.events == 0) {
            if (l.registered[side])
                epoll_ctl(epoll_, EPOLL_CTL_DEL, l.fd[side], nullptr);
            l.registered[side] = false;
            return;
        }
        epoll_ctl(epoll_, l.registered[side] ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, l.fd[side], &ev);
        l.registered[side] = true;
    }

    void MaybeClose(const std::shared_ptr<Link>& link) {
        if (link->closed || !link->read_done[0] || !link->read_done[1] || link->pending > 0 ||
            !link->outbox[0].empty() || !link->outbox[1].empty())
            return;
        link->closed = true;
        close(link->fd[0]);
        close(link->fd[1]);
        links_.erase(link->id);
    }

    Endpoint target_;
    std::chrono::microseconds delay_;
    int listen_fd_ = -1;
    int epoll_ = -1;
    uint64_t next_id_ = 0;
    std::map<uint64_t, std::shared_ptr<Link>> links_;
    std::deque<Chunk> queue_;
};

int Usage() {
    std::fprintf(stderr,
                 "usage: azkv-latency-proxy --listen HOST:PORT --to HOST:PORT [--rtt-ms N] "
                 "[--ready-file FILE]\n");
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    Endpoint listen_at, target;
    double rtt_ms = 0;
    std::string ready_file;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (i + 1 >= argc)
            return Usage();
        std::string v = argv[++i];
        if (a == "--listen" && ParseEndpoint(v, listen_at)) {
        } else if (a == "--to" && ParseEndpoint(v, target)) {
        } else if (a == "--rtt-ms") {
            rtt_ms = std::atof(v.c_str());
        } else if (a == "--ready-file") {
            ready_file = v;
        } else {
            return Usage();
        }
    }
    if (listen_at.host.empty() || target.host.empty())
        return Usage();
    signal(SIGPIPE, SIG_IGN);
    // The kernel may defer a timer by up to its slack (50 us by default); the delay is the point.
    prctl(PR_SET_TIMERSLACK, 1000UL, 0UL, 0UL, 0UL);
    Proxy proxy(target, std::chrono::microseconds(static_cast<long>(rtt_ms * 500.0)));
    int port = proxy.Listen(listen_at);
    if (port < 0)
        return 1;
    if (!ready_file.empty()) {
        std::string tmp = ready_file + ".tmp";
        std::ofstream(tmp) << port << "\n";
        std::rename(tmp.c_str(), ready_file.c_str());
    }
    proxy.Run();
}
