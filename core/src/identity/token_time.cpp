#include "identity/token_time.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <ctime>

namespace azkv::identity {
namespace {

using std::chrono::seconds;

// A cursor over a date string; every Take* fails (returns false) without throwing.
class Cursor {
public:
    explicit Cursor(std::string_view s) : s_(s) {}
    bool Done() const { return pos_ == s_.size(); }
    char Peek() const { return Done() ? '\0' : s_[pos_]; }
    bool Take(char c) {
        if (Peek() != c)
            return false;
        ++pos_;
        return true;
    }
    // Exactly `n` digits.
    bool TakeDigits(size_t n, int* out) {
        if (s_.size() - pos_ < n)
            return false;
        int v = 0;
        for (size_t i = 0; i < n; ++i) {
            char c = s_[pos_ + i];
            if (c < '0' || c > '9')
                return false;
            v = v * 10 + (c - '0');
        }
        pos_ += n;
        *out = v;
        return true;
    }
    // Skips a fraction of a second: tokens are valid to the second, so it is not kept.
    void SkipFraction() {
        if (!Take('.'))
            return;
        while (std::isdigit(static_cast<unsigned char>(Peek())))
            ++pos_;
    }
    std::string_view Rest() const { return s_.substr(pos_); }
    void Skip(size_t n) { pos_ = std::min(s_.size(), pos_ + n); }

private:
    std::string_view s_;
    size_t pos_ = 0;
};

bool TakeTimeOfDay(Cursor& c, std::tm* tm) {
    return c.TakeDigits(2, &tm->tm_hour) && c.Take(':') && c.TakeDigits(2, &tm->tm_min) &&
           c.Take(':') && c.TakeDigits(2, &tm->tm_sec);
}

bool TakeIsoDate(Cursor& c, std::tm* tm) {
    if (!(c.TakeDigits(4, &tm->tm_year) && c.Take('-') && c.TakeDigits(2, &tm->tm_mon) &&
          c.Take('-') && c.TakeDigits(2, &tm->tm_mday))) {
        return false;
    }
    tm->tm_year -= 1900;
    tm->tm_mon -= 1;
    return true;
}

bool FieldsInRange(const std::tm& tm) {
    // 60 allows a leap second; timegm folds it into the next minute.
    return tm.tm_mon >= 0 && tm.tm_mon < 12 && tm.tm_mday >= 1 && tm.tm_mday <= 31 &&
           tm.tm_hour < 24 && tm.tm_min < 60 && tm.tm_sec <= 60;
}

std::optional<SystemClock::time_point> FromUtc(std::tm tm, long offset_seconds) {
    if (!FieldsInRange(tm))
        return std::nullopt;
    time_t t = timegm(&tm);
    if (t == static_cast<time_t>(-1))
        return std::nullopt;
    long long epoch = static_cast<long long>(t) - offset_seconds;
    if (epoch < 0 || epoch > kMaxEpochSeconds)
        return std::nullopt;
    return FromEpochSeconds(epoch);
}

std::optional<SystemClock::time_point> ParseRfc3339(std::string_view s) {
    Cursor c(s);
    std::tm tm{};
    if (!TakeIsoDate(c, &tm))
        return std::nullopt;
    if (!(c.Take('T') || c.Take('t') || c.Take(' ')))
        return std::nullopt;
    if (!TakeTimeOfDay(c, &tm))
        return std::nullopt;
    c.SkipFraction();
    long offset = 0;
    if (c.Take('Z') || c.Take('z')) {
    } else {
        int sign = c.Take('+') ? 1 : (c.Take('-') ? -1 : 0);
        int oh = 0;
        int om = 0;
        if (sign == 0 || !c.TakeDigits(2, &oh) || !c.Take(':') || !c.TakeDigits(2, &om)) {
            return std::nullopt;
        }
        offset = sign * (oh * 3600L + om * 60L);
    }
    if (!c.Done())
        return std::nullopt;
    return FromUtc(tm, offset);
}

std::optional<SystemClock::time_point> ParseRfc1123(std::string_view s) {
    static constexpr std::array<const char*, 12> kMonths = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    Cursor c(s);
    // The weekday is redundant; skip "Tue, " when present.
    if (s.size() > 5 && s[3] == ',' && s[4] == ' ')
        c.Skip(5);
    std::tm tm{};
    if (!c.TakeDigits(2, &tm.tm_mday) || !c.Take(' '))
        return std::nullopt;
    std::string_view rest = c.Rest();
    auto month = std::find_if(kMonths.begin(), kMonths.end(), [&](const char* m) {
        return rest.size() >= 4 && rest.substr(0, 3) == m && rest[3] == ' ';
    });
    if (month == kMonths.end())
        return std::nullopt;
    tm.tm_mon = static_cast<int>(month - kMonths.begin());
    c.Skip(4);
    if (!c.TakeDigits(4, &tm.tm_year) || !c.Take(' ') || !TakeTimeOfDay(c, &tm)) {
        return std::nullopt;
    }
    tm.tm_year -= 1900;
    std::string_view zone = c.Rest();
    if (zone != " GMT" && zone != " UTC" && zone != " +0000" && zone != " Z")
        return std::nullopt;
    return FromUtc(tm, 0);
}

}  // namespace

SystemClock::time_point FromEpochSeconds(long long epoch) {
    static const long long kLast =
        std::chrono::duration_cast<seconds>(SystemClock::duration::max()).count() - 366LL * 86400;
    return SystemClock::time_point(seconds(std::min(epoch, kLast)));
}

std::optional<long long> ParseNumericString(std::string_view s) {
    size_t dot = s.find('.');
    std::string_view whole = s.substr(0, dot);
    std::string_view frac = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
    auto all_digits = [](std::string_view d) {
        return std::all_of(d.begin(), d.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    };
    if (whole.empty() || whole.size() > 18 || !all_digits(whole) || !all_digits(frac)) {
        return std::nullopt;
    }
    if (dot != std::string_view::npos && frac.empty())
        return std::nullopt;
    long long v = 0;
    for (char ch : whole)
        v = v * 10 + (ch - '0');
    return v;
}

std::optional<SystemClock::time_point> ParseDate(std::string_view s) {
    if (auto t = ParseRfc3339(s))
        return t;
    return ParseRfc1123(s);
}

std::optional<SystemClock::time_point> ParseCliLocalTime(std::string_view s) {
    Cursor c(s);
    std::tm tm{};
    if (!TakeIsoDate(c, &tm) || !c.Take(' ') || !TakeTimeOfDay(c, &tm))
        return std::nullopt;
    c.SkipFraction();
    if (!c.Done() || !FieldsInRange(tm))
        return std::nullopt;
    tm.tm_isdst = -1;  // let the zone rules decide, as the CLI printed wall-clock time
    time_t t = mktime(&tm);
    if (t < 0 || t > kMaxEpochSeconds)  // also mktime's -1 failure
        return std::nullopt;
    return FromEpochSeconds(static_cast<long long>(t));
}

SystemClock::time_point RefreshOn(SystemClock::time_point now, SystemClock::time_point expires_on,
                                  std::optional<std::chrono::seconds> refresh_in) {
    using std::chrono::hours;
    using std::chrono::minutes;
    auto lifetime = expires_on - now;
    SystemClock::time_point half_life = now + lifetime / 2;
    SystemClock::time_point latest = lifetime >= minutes(10) ? expires_on - minutes(5) : half_life;
    SystemClock::time_point wanted;
    if (refresh_in) {
        wanted = now + *refresh_in;
    } else if (lifetime >= hours(2)) {
        wanted = half_life;
    } else {
        wanted = latest;
    }
    return std::clamp(wanted, now, std::max(now, latest));
}

}  // namespace azkv::identity
