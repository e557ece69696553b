#pragma once
// The doctor's checklist: one line per check, a fix under every failure, printed as it goes
// (so a hanging step shows where it hangs) or as JSON at the end.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "azkv/util/status.h"

namespace azkv::cli {

enum class CheckState { kOk, kWarn, kFail, kSkip, kInfo };

class Checklist {
public:
    explicit Checklist(bool json) : json_(json) {}

    void Ok(const std::string& check, const std::string& detail);
    void Info(const std::string& check, const std::string& detail);
    void Skip(const std::string& check, const std::string& why);
    void Warn(const std::string& check, const std::string& detail, const std::string& fix);
    // `code` decides the exit code if this is the first failure.
    void Fail(const std::string& check, const std::string& detail, const std::string& fix,
              ErrorCode code);

    // 0 when nothing failed, else the exit code of the first failure. Prints the JSON form.
    int Finish();

private:
    void Add(CheckState state, const std::string& check, const std::string& detail,
             const std::string& fix);

    bool json_;
    nlohmann::json items_ = nlohmann::json::array();
    ErrorCode first_failure_ = ErrorCode::kOk;
    int failures_ = 0;
    int warnings_ = 0;
};

}  // namespace azkv::cli
