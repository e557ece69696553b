#include "server.h"

#include <sys/socket.h>

#include <atomic>
#include <stdexcept>

#include "http_util.h"
#include "log.h"

namespace azkv::emu {
namespace {

std::atomic<uint64_t> g_next_conn{1};

// The accept queue must hold a burst of clients connecting at once (64 threads starting, a pool
// growing). Debian's cpp-httplib is a compiled library whose listen() uses its built-in backlog
// of 5 whatever this build defines, and a full queue drops SYNs: the client retries after 1 s,
// then 2 s more, and its TLS handshake outlasts a 3 s connect timeout.
constexpr int kListenBacklog = 1024;

// One detached thread per accepted connection. httplib destroys the queue when its accept loop
// ends, so the threads must not refer back to it.
class ConnectionQueue : public httplib::TaskQueue {
public:
    explicit ConnectionQueue(std::function<void()> on_accept) : on_accept_(std::move(on_accept)) {}

    void enqueue(std::function<void()> fn) override {
        on_accept_();
        uint64_t id = g_next_conn++;
        auto task = [fn = std::move(fn), id]() {
            set_current_connection_id(id);
            fn();
        };
        try {
            std::thread(task).detach();
        } catch (const std::system_error& e) {
            // Out of threads: serve inline rather than drop the connection.
            log_line(LogLevel::Warn, std::string("thread creation failed: ") + e.what());
            task();
        }
    }
    void shutdown() override {}

private:
    std::function<void()> on_accept_;
};

}  // namespace

Listener::Listener(App& app, bool tls, Handler handler, std::function<void()> on_accept) {
    if (tls)
        server_ = std::make_unique<httplib::SSLServer>(app.tls.cert_file.c_str(),
                                                       app.tls.key_file.c_str());
    else
        server_ = std::make_unique<httplib::Server>();
    if (!server_->is_valid())
        throw std::runtime_error("cannot initialise the TLS server (certificate/key)");
    server_->new_task_queue = [on_accept]() -> httplib::TaskQueue* {
        return new ConnectionQueue(on_accept);
    };
    server_->set_socket_options([this](socket_t sock) {
        httplib::default_socket_options(sock);
        listen_fd_ = sock;
    });
    server_->set_keep_alive_max_count(100000);
    server_->set_keep_alive_timeout(30);
    server_->set_read_timeout(30);
    server_->set_write_timeout(30);
    server_->set_tcp_nodelay(true);
    server_->set_payload_max_length(8 * 1024 * 1024);
    auto all = [handler](const httplib::Request& req, httplib::Response& res) {
        handler(req, res);
    };
    const std::string any = ".*";
    server_->Get(any, all);
    server_->Post(any, all);
    server_->Put(any, all);
    server_->Patch(any, all);
    server_->Delete(any, all);
    server_->set_exception_handler([](const httplib::Request&, httplib::Response& res,
                                      std::exception_ptr) {
        reply_json(
            res, 500,
            {{"error", {{"code", "InternalServerError"}, {"message", "internal emulator error"}}}});
    });
}

Listener::~Listener() {
    stop();
    if (thread_.joinable())
        thread_.join();
}

int Listener::bind(const std::string& host, int port) {
    int bound = port == 0 ? server_->bind_to_any_port(host)
                          : (server_->bind_to_port(host, port) ? port : -1);
    if (bound <= 0)
        throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port));
    // Listening again on a listening socket only changes its backlog (Linux).
    if (listen_fd_ < 0 || ::listen(listen_fd_, kListenBacklog) != 0)
        throw std::runtime_error("cannot set the listen backlog on " + host + ":" +
                                 std::to_string(bound));
    return bound;
}

void Listener::start() {
    thread_ = std::thread([this] { server_->listen_after_bind(); });
}

void Listener::stop() {
    server_->stop();
}

}  // namespace azkv::emu
