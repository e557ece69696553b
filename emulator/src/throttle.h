// The vault throttling model (--throttle), after the documented service limits: per vault, a
// sliding 10 s window over a weighted sum. An HSM RSA-2048/EC operation costs 1, RSA-3072 4,
// RSA-4096 8 (2000/limit); software keys cost half. Creates use their own bucket (10 HSM /
// 20 software per 10 s). Managed HSM does not throttle.
#pragma once

#include <deque>
#include <map>
#include <mutex>
#include <string>

namespace azkv::emu {

class Throttle {
public:
    void enable(bool on) { enabled_ = on; }
    bool enabled() const { return enabled_; }
    // Records the request and returns true if it fits; a refused request is not recorded.
    bool admit(const std::string& vault, bool create_bucket, double weight);
    // Weight of one operation on a key of this type and size (bits) relative to the 2000 budget.
    static double weight_for(const std::string& kty, int bits);
    static double create_weight(const std::string& kty);

private:
    struct Window {
        std::deque<std::pair<double, double>> events;  // (ms, weight)
        double sum = 0;
    };
    bool enabled_ = false;
    std::mutex mu_;
    std::map<std::string, Window> windows_;
};

}  // namespace azkv::emu
