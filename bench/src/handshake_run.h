#pragma once
// TLS handshakes against a server (nginx with a vault key or a local key): full handshakes per
// second from N client threads, or resumed handshakes from one saved session.

#include <string>

#include <nlohmann/json.hpp>

namespace azkv::bench {

struct HandshakeOptions {
    std::string host = "127.0.0.1";
    int port = 0;
    int threads = 8;
    double seconds = 2;
    bool resume = false;  // resume one session instead of full handshakes
    int count = 0;        // with resume: this many resumed handshakes (no time limit)
    std::string stats_url;
    std::string vault_name = "demo";
};

nlohmann::json RunHandshakes(const HandshakeOptions& options);

}  // namespace azkv::bench
