#include "config/json_reader.h"

namespace azkv::config_detail {

namespace {

const char* TypeName(const nlohmann::json& v) {
    if (v.is_string())
        return "a string";
    if (v.is_boolean())
        return "a boolean";
    if (v.is_number())
        return "a number";
    if (v.is_array())
        return "an array";
    if (v.is_object())
        return "an object";
    if (v.is_null())
        return "null";
    return "something else";
}

}  // namespace

std::string JsonReader::FieldPath(const std::string& field) const {
    return path_.empty() ? field : path_ + "." + field;
}

void JsonReader::Fail(const std::string& field, const std::string& what) {
    if (!status_.ok())
        return;  // keep the first error: it is the one to fix first
    status_ = Status(ErrorCode::kConfig, source_ + ": field \"" + FieldPath(field) + "\" " + what);
}

const nlohmann::json* JsonReader::Field(const char* name) {
    known_.insert(name);
    auto it = obj_.find(name);
    return it == obj_.end() ? nullptr : &*it;
}

void JsonReader::String(const char* name, std::string& out) {
    const nlohmann::json* v = Field(name);
    if (v == nullptr)
        return;
    if (!v->is_string()) {
        Fail(name, std::string("must be a string, not ") + TypeName(*v));
        return;
    }
    out = v->get<std::string>();
}

void JsonReader::Bool(const char* name, bool& out) {
    const nlohmann::json* v = Field(name);
    if (v == nullptr)
        return;
    if (!v->is_boolean()) {
        Fail(name, std::string("must be true or false, not ") + TypeName(*v));
        return;
    }
    out = v->get<bool>();
}

void JsonReader::Int(const char* name, long& out, long min, long max) {
    const nlohmann::json* v = Field(name);
    if (v == nullptr)
        return;
    if (!v->is_number_integer()) {
        Fail(name, std::string("must be a whole number, not ") + TypeName(*v));
        return;
    }
    long x = v->get<long>();
    if (x < min || x > max) {
        Fail(name, "is " + std::to_string(x) + "; allowed: " + std::to_string(min) + " to " +
                       std::to_string(max));
        return;
    }
    out = x;
}

void JsonReader::Int(const char* name, int& out, int min, int max) {
    long x = out;
    Int(name, x, min, max);
    out = static_cast<int>(x);
}

Status JsonReader::Finish(const std::vector<std::string>& allowed_hint) {
    if (!status_.ok())
        return status_;
    for (auto it = obj_.begin(); it != obj_.end(); ++it) {
        if (known_.count(it.key()) != 0)
            continue;
        std::string allowed;
        for (const auto& k : allowed_hint.empty()
                                 ? std::vector<std::string>(known_.begin(), known_.end())
                                 : allowed_hint) {
            allowed += allowed.empty() ? k : ", " + k;
        }
        Fail(it.key(), "is not a known setting (allowed here: " + allowed + ")");
        break;
    }
    return status_;
}

}  // namespace azkv::config_detail
