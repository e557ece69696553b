#pragma once
// Reads one JSON object of the config file strictly: every field is looked up by name, its type
// is checked, and fields nobody asked for are reported as unknown. Errors name the file, the
// field's path (vaults[1].identity.type) and what is allowed.

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "azkv/util/status.h"

namespace azkv::config_detail {

class JsonReader {
public:
    JsonReader(const nlohmann::json& object, std::string path, const std::string& source)
        : obj_(object), path_(std::move(path)), source_(source) {}

    // Each getter leaves `out` untouched when the field is absent.
    void String(const char* name, std::string& out);
    void Bool(const char* name, bool& out);
    void Int(const char* name, long& out, long min, long max);
    void Int(const char* name, int& out, int min, int max);
    // Returns the field if present (and records it as known), else nullptr.
    const nlohmann::json* Field(const char* name);

    // First error found so far, after checking for unknown fields.
    Status Finish(const std::vector<std::string>& allowed_hint = {});
    void Fail(const std::string& field, const std::string& what);
    // Takes a nested reader's error as this reader's, unless one is already recorded.
    void Adopt(const Status& nested) {
        if (status_.ok())
            status_ = nested;
    }
    std::string FieldPath(const std::string& field) const;
    const std::string& source() const { return source_; }
    bool failed() const { return !status_.ok(); }
    const Status& status() const { return status_; }

private:
    const nlohmann::json& obj_;
    std::string path_;
    const std::string& source_;
    std::set<std::string> known_;
    Status status_;
};

}  // namespace azkv::config_detail
