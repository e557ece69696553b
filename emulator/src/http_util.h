// Helpers shared by every listener: path splitting, JSON replies, connection ids and the
// connection-reset fault.
#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace azkv::emu {

// Splits a decoded path into segments, dropping one trailing slash (protocol §5.6).
// Returns false for an empty segment in the middle (e.g. "//").
bool split_path(const std::string& path, std::vector<std::string>& segs);

void reply_json(httplib::Response& res, int status, const nlohmann::json& body);

// The id of the TLS/TCP connection this thread serves (one thread per connection).
uint64_t current_connection_id();
void set_current_connection_id(uint64_t id);

// Aborts the client connection behind `req` with a TCP RST. Returns false if the socket
// could not be found.
bool reset_connection(const httplib::Request& req);

}  // namespace azkv::emu
