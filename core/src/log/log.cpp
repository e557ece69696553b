#include "azkv/log/log.h"

#include <fcntl.h>
#include <sys/time.h>
#include <syslog.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <mutex>

#include "azkv/util/immortal.h"

namespace azkv::log {
namespace {

enum class Target { kStderr, kSyslog, kFile };

struct State {
    std::mutex mu;
    Target target = Target::kStderr;
    int fd = -1;
    std::string path;
    std::function<void(const std::string&)> sink;
};

std::atomic<int> g_level{static_cast<int>(LogLevel::kWarn)};

State& state() {
    // Never destroyed: the log may be used from atexit handlers and library destructors.
    static util::Immortal<State> s;
    return s.get();
}

const char* LevelName(LogLevel l) {
    switch (l) {
        case LogLevel::kError:
            return "ERROR";
        case LogLevel::kWarn:
            return "WARN";
        case LogLevel::kInfo:
            return "INFO";
        case LogLevel::kDebug:
            return "DEBUG";
        case LogLevel::kTrace:
            return "TRACE";
    }
    return "?";
}

int SyslogPriority(LogLevel l) {
    switch (l) {
        case LogLevel::kError:
            return LOG_ERR;
        case LogLevel::kWarn:
            return LOG_WARNING;
        case LogLevel::kInfo:
            return LOG_INFO;
        default:
            return LOG_DEBUG;
    }
}

bool IsTokenChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
           c == '+' || c == '/' || c == '=' || c == '~';
}

// A JWT is three base64url segments; its header always starts with "eyJ" ('{"').
bool LooksLikeJwt(std::string_view s) {
    if (s.size() < 20 || s.substr(0, 3) != "eyJ")
        return false;
    size_t dots = 0;
    for (char c : s)
        dots += (c == '.');
    return dots >= 2;
}

void AppendQuoted(std::string& out, std::string_view v) {
    out += '"';
    for (char c : v) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n' || c == '\r') {
            out += ' ';
        } else if (static_cast<unsigned char>(c) < 0x20) {
            out += '?';
        } else {
            out += c;
        }
    }
    out += '"';
}

void AppendField(std::string& out, const char* name, std::string_view value) {
    if (value.empty())
        return;
    out += ' ';
    out += name;
    out += '=';
    bool plain = value.find_first_of(" \"=") == std::string_view::npos;
    if (plain) {
        out += value;
    } else {
        AppendQuoted(out, value);
    }
}

std::string Timestamp() {
    timeval tv{};
    gettimeofday(&tv, nullptr);
    tm t{};
    gmtime_r(&tv.tv_sec, &t);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", t.tm_year + 1900,
                  t.tm_mon + 1, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec,
                  static_cast<long>(tv.tv_usec / 1000));
    return buf;
}

// Length of "Bearer <credential>" (or Basic) starting at text[i], or 0.
size_t SchemeCredentialLength(std::string_view text, size_t i) {
    for (std::string_view scheme : {"Bearer ", "bearer ", "Basic ", "basic "}) {
        if (text.substr(i, scheme.size()) != scheme)
            continue;
        size_t k = i + scheme.size();
        while (k < text.size() && IsTokenChar(text[k]))
            ++k;
        if (k > i + scheme.size())
            return k - i;
    }
    return 0;
}

}  // namespace

std::string Scrub(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    size_t i = 0;
    while (i < text.size()) {
        if (size_t n = SchemeCredentialLength(text, i); n > 0) {
            out.append(text.substr(i, text.find(' ', i) - i + 1));
            out += "[redacted]";
            i += n;
            continue;
        }
        if (IsTokenChar(text[i]) && (i == 0 || !IsTokenChar(text[i - 1]))) {
            size_t k = i;
            while (k < text.size() && IsTokenChar(text[k]))
                ++k;
            std::string_view word = text.substr(i, k - i);
            out += LooksLikeJwt(word) ? std::string_view("[redacted]") : word;
            i = k;
            continue;
        }
        out += text[i++];
    }
    return out;
}

void Configure(const LogConfig& config) {
    g_level.store(static_cast<int>(config.level), std::memory_order_relaxed);
    State& s = state();
    std::lock_guard<std::mutex> lock(s.mu);
    if (s.fd >= 0) {
        ::close(s.fd);
        s.fd = -1;
    }
    if (config.target == "stderr" || config.target.empty()) {
        s.target = Target::kStderr;
    } else if (config.target == "syslog") {
        s.target = Target::kSyslog;
        openlog("azkv", LOG_PID | LOG_NDELAY, LOG_USER);
    } else {
        s.fd = ::open(config.target.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
        s.target = s.fd >= 0 ? Target::kFile : Target::kStderr;
        s.path = config.target;
        if (s.fd < 0) {
            std::string msg =
                "azkv: cannot open log file " + config.target + "; logging to stderr instead\n";
            (void)!::write(2, msg.data(), msg.size());
        }
    }
}

bool Enabled(LogLevel level) {
    return static_cast<int>(level) <= g_level.load(std::memory_order_relaxed);
}

void Write(const Event& e) {
    if (!Enabled(e.level))
        return;
    std::string line;
    line.reserve(160 + e.message.size());
    line += LevelName(e.level);
    AppendField(line, "vault", e.vault);
    AppendField(line, "key", e.key);
    AppendField(line, "op", e.operation);
    if (e.http_status != 0)
        AppendField(line, "status", std::to_string(e.http_status));
    AppendField(line, "request_id", e.request_id);
    if (e.latency_ms >= 0) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.1f", e.latency_ms);
        AppendField(line, "latency_ms", buf);
    }
    if (!e.message.empty()) {
        line += " msg=";
        AppendQuoted(line, Scrub(e.message));
    }

    State& s = state();
    std::lock_guard<std::mutex> lock(s.mu);
    if (s.sink) {
        s.sink(line);
        return;
    }
    if (s.target == Target::kSyslog) {
        syslog(SyslogPriority(e.level), "%s", line.c_str());
        return;
    }
    std::string full = Timestamp() + " azkv[" + std::to_string(getpid()) + "] " + line + "\n";
    int fd = s.target == Target::kFile ? s.fd : 2;
    (void)!::write(fd, full.data(), full.size());
}

void Error(std::string_view m) {
    Write({.level = LogLevel::kError, .message = m});
}
void Warn(std::string_view m) {
    Write({.level = LogLevel::kWarn, .message = m});
}
void Info(std::string_view m) {
    Write({.level = LogLevel::kInfo, .message = m});
}
void Debug(std::string_view m) {
    Write({.level = LogLevel::kDebug, .message = m});
}

void SetSinkForTesting(std::function<void(const std::string&)> sink) {
    State& s = state();
    std::lock_guard<std::mutex> lock(s.mu);
    s.sink = std::move(sink);
}

}  // namespace azkv::log
