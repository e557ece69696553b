#pragma once
// Plain data for one HTTP exchange. Secret header values (Authorization, X-IDENTITY-HEADER,
// Secret) are marked so that logging and error paths can never print them.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "azkv/util/secret.h"

namespace azkv::http {

struct Header {
    std::string name;
    std::string value;
};

struct Request {
    std::string method = "GET";  // GET, POST, PUT, PATCH, DELETE
    std::string url;
    std::vector<Header> headers;  // non-secret headers
    // Headers whose values are secrets (Authorization, X-IDENTITY-HEADER, ...). Never logged.
    std::vector<std::pair<std::string, SecretString>> secret_headers;
    // Sent as "Authorization: Bearer <token>". Shared with the token cache rather than copied
    // into every request; never logged.
    std::shared_ptr<const SecretString> bearer_token;
    std::string body;
    bool body_is_secret = false;  // e.g. a client_assertion: never logged
    // Overrides of the client-wide timeouts for this request (0 = use the client's).
    long timeout_ms = 0;
    long connect_timeout_ms = 0;
    // Opaque labels for the log line.
    std::string log_vault;
    std::string log_key;
    std::string log_operation;
};

struct Response {
    long status = 0;
    std::vector<Header> headers;
    std::string body;
    double elapsed_ms = 0;
    // Case-insensitive lookup; returns "" when absent.
    std::string_view header(std::string_view name) const;
    std::string_view request_id() const { return header("x-ms-request-id"); }
};

}  // namespace azkv::http
