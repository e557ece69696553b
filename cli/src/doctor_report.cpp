#include "doctor_report.h"

#include <iostream>

#include "command.h"

namespace azkv::cli {
namespace {

const char* StateName(CheckState s) {
    switch (s) {
        case CheckState::kOk:
            return "ok";
        case CheckState::kWarn:
            return "warn";
        case CheckState::kFail:
            return "fail";
        case CheckState::kSkip:
            return "skip";
        case CheckState::kInfo:
            return "info";
    }
    return "?";
}

std::string Badge(CheckState s, bool colour) {
    static const char* kText[] = {"[ ok ]", "[warn]", "[FAIL]", "[skip]", "[info]"};
    static const char* kColour[] = {"\033[32m", "\033[33m", "\033[31;1m", "\033[90m", "\033[36m"};
    int i = static_cast<int>(s);
    return colour ? std::string(kColour[i]) + kText[i] + "\033[0m" : kText[i];
}

}  // namespace

void Checklist::Add(CheckState state, const std::string& check, const std::string& detail,
                    const std::string& fix) {
    nlohmann::json item = {{"check", check}, {"state", StateName(state)}, {"detail", detail}};
    if (!fix.empty())
        item["fix"] = fix;
    items_.push_back(item);
    if (json_)
        return;
    std::cout << Badge(state, ColourOut()) << " " << check << ": " << detail << "\n";
    if (!fix.empty())
        std::cout << "       fix: " << fix << "\n";
    std::cout << std::flush;
}

void Checklist::Ok(const std::string& check, const std::string& detail) {
    Add(CheckState::kOk, check, detail, "");
}

void Checklist::Info(const std::string& check, const std::string& detail) {
    Add(CheckState::kInfo, check, detail, "");
}

void Checklist::Skip(const std::string& check, const std::string& why) {
    Add(CheckState::kSkip, check, why, "");
}

void Checklist::Warn(const std::string& check, const std::string& detail, const std::string& fix) {
    ++warnings_;
    Add(CheckState::kWarn, check, detail, fix);
}

void Checklist::Fail(const std::string& check, const std::string& detail, const std::string& fix,
                     ErrorCode code) {
    if (failures_++ == 0)
        first_failure_ = code;
    Add(CheckState::kFail, check, detail, fix);
}

int Checklist::Finish() {
    if (json_) {
        PrintJson({{"checks", items_}, {"failures", failures_}, {"warnings", warnings_}});
    } else {
        std::cout << (failures_ == 0 ? "all checks passed"
                                     : std::to_string(failures_) + " check(s) failed")
                  << (warnings_ != 0 ? ", " + std::to_string(warnings_) + " warning(s)" : "")
                  << "\n";
    }
    if (failures_ == 0)
        return kExitOk;
    int code = ExitCodeFor(first_failure_);
    return code == kExitOk ? kExitFailure : code;
}

}  // namespace azkv::cli
