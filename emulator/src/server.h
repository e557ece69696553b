// Listeners. Each accepted connection gets its own thread (ConnectionQueue), so injected latency
// on one request never delays another and there is no pool cap on keep-alive connections.
#pragma once

#include <httplib.h>

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "app.h"

namespace azkv::emu {

class Listener {
public:
    using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

    // tls: serve HTTPS with the emulator's server certificate.
    Listener(App& app, bool tls, Handler handler, std::function<void()> on_accept);
    ~Listener();
    // Binds (port 0 = ephemeral) and returns the bound port; throws on failure.
    int bind(const std::string& host, int port);
    void start();  // accept loop on its own thread
    void stop();

private:
    std::unique_ptr<httplib::Server> server_;
    std::thread thread_;
    int listen_fd_ = -1;  // the listening socket, recorded as httplib creates it
};

}  // namespace azkv::emu
