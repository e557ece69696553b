#include "keyvault/flat_json.h"

namespace azkv::keyvault::detail {

namespace {

bool IsSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

class Cursor {
public:
    explicit Cursor(std::string_view text) : text_(text) {}

    void SkipSpace() {
        while (pos_ < text_.size() && IsSpace(text_[pos_]))
            ++pos_;
    }
    bool Take(char c) {
        SkipSpace();
        if (pos_ < text_.size() && text_[pos_] == c) {
            ++pos_;
            return true;
        }
        return false;
    }
    // A string of printable ASCII without escapes; anything else is outside the subset.
    std::optional<std::string_view> PlainString() {
        if (!Take('"'))
            return std::nullopt;
        size_t start = pos_;
        while (pos_ < text_.size()) {
            char c = text_[pos_];
            if (c == '"') {
                return text_.substr(start, pos_++ - start);
            }
            if (c == '\\' || c < 0x20 || c > 0x7e)
                return std::nullopt;
            ++pos_;
        }
        return std::nullopt;
    }
    bool AtEnd() {
        SkipSpace();
        return pos_ == text_.size();
    }

private:
    std::string_view text_;
    size_t pos_ = 0;
};

bool NeedsEscape(char c) {
    return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20;
}

void AppendEscaped(std::string& out, std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    // Runs that need no escape (all of a base64url value) are copied whole.
    size_t run = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (!NeedsEscape(c))
            continue;
        out.append(s.substr(run, i - run));
        run = i + 1;
        auto u = static_cast<unsigned char>(c);
        if (u >= 0x20) {
            out += '\\';
            out += c;
        } else {
            out += "\\u00";
            out += kHex[u >> 4];
            out += kHex[u & 0xf];
        }
    }
    out.append(s.substr(run));
    out += '"';
}

}  // namespace

std::optional<FlatStringObject> FlatStringObject::Read(std::string_view text) {
    Cursor in(text);
    if (!in.Take('{'))
        return std::nullopt;
    FlatStringObject obj;
    if (!in.Take('}')) {
        do {
            auto name = in.PlainString();
            if (!name || !in.Take(':'))
                return std::nullopt;
            auto value = in.PlainString();
            if (!value || obj.count_ == kMaxFields || obj.Get(*name))
                return std::nullopt;
            obj.fields_[obj.count_++] = {*name, *value};
        } while (in.Take(','));
        if (!in.Take('}'))
            return std::nullopt;
    }
    if (!in.AtEnd())
        return std::nullopt;
    return obj;
}

std::optional<std::string_view> FlatStringObject::Get(std::string_view name) const {
    for (size_t i = 0; i < count_; ++i) {
        if (fields_[i].first == name)
            return fields_[i].second;
    }
    return std::nullopt;
}

std::string WriteStringObject(const StringField* fields, size_t count) {
    std::string out;
    size_t need = 2;
    for (size_t i = 0; i < count; ++i)
        need += fields[i].first.size() + fields[i].second.size() + 6;
    out.reserve(need);
    out += '{';
    for (size_t i = 0; i < count; ++i) {
        if (i > 0)
            out += ',';
        AppendEscaped(out, fields[i].first);
        out += ':';
        AppendEscaped(out, fields[i].second);
    }
    out += '}';
    return out;
}

std::string WriteStringObject(std::initializer_list<StringField> fields) {
    return WriteStringObject(fields.begin(), fields.size());
}

}  // namespace azkv::keyvault::detail
