#pragma once
// azkv's log: one line per event, with the vault, key, operation, HTTP status, x-ms-request-id
// and latency when they apply.
//
// It never prints tokens, Authorization or identity headers, Arc secrets or key bytes: callers
// never hand it those, and as a second line of defence every message is scrubbed of anything
// shaped like a bearer token or JWT before it is written.

#include <functional>
#include <string>
#include <string_view>

#include "azkv/config/config.h"

namespace azkv::log {

struct Event {
    LogLevel level = LogLevel::kInfo;
    std::string_view vault;
    std::string_view key;
    std::string_view operation;
    long http_status = 0;
    std::string_view request_id;
    double latency_ms = -1;  // < 0: not shown
    std::string_view message;
};

// Sets level and target (stderr | syslog | a file path). Safe to call again.
void Configure(const LogConfig& config);
bool Enabled(LogLevel level);
void Write(const Event& event);

void Error(std::string_view message);
void Warn(std::string_view message);
void Info(std::string_view message);
void Debug(std::string_view message);

// Replaces bearer tokens, JWTs and Basic credentials in `text` with "[redacted]".
std::string Scrub(std::string_view text);

// Tests: receive every formatted line instead of the configured target (nullptr restores it).
void SetSinkForTesting(std::function<void(const std::string&)> sink);

}  // namespace azkv::log
