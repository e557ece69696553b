#include "throttle.h"

#include "ids.h"

namespace azkv::emu {
namespace {
constexpr double kWindowMs = 10000;
constexpr double kBudget = 2000;      // HSM RSA-2048 / EC transactions per window
constexpr double kCreateBudget = 10;  // HSM creates per window
}  // namespace

double Throttle::weight_for(const std::string& kty, int bits) {
    bool hsm = kty.find("-HSM") != std::string::npos;
    double limit = 2000;
    if (kty.rfind("RSA", 0) == 0)
        limit = bits >= 4096 ? 250 : bits >= 3072 ? 500 : 2000;
    if (!hsm)
        limit *= 2;  // software keys have twice the budget
    return kBudget / limit;
}

double Throttle::create_weight(const std::string& kty) {
    return kty.find("-HSM") != std::string::npos ? 1.0 : 0.5;
}

bool Throttle::admit(const std::string& vault, bool create_bucket, double weight) {
    if (!enabled_)
        return true;
    double now = monotonic_ms();
    std::lock_guard lk(mu_);
    Window& w = windows_[vault + (create_bucket ? "#create" : "")];
    while (!w.events.empty() && w.events.front().first <= now - kWindowMs) {
        w.sum -= w.events.front().second;
        w.events.pop_front();
    }
    double budget = create_bucket ? kCreateBudget : kBudget;
    if (w.sum + weight > budget + 1e-9)
        return false;
    w.events.emplace_back(now, weight);
    w.sum += weight;
    return true;
}

}  // namespace azkv::emu
