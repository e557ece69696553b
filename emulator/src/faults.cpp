#include "faults.h"

#include "errors.h"
#include "hostile.h"
#include "ids.h"

namespace azkv::emu {
namespace {

const nlohmann::json& defaults() {
    static const nlohmann::json d = {{"latency_ms", 0},
                                     {"jitter_ms", 0},
                                     {"rate_429", 0},
                                     {"rate_429_no_retry_after", 0},
                                     {"retry_after_s", 1},
                                     {"rate_500", 0},
                                     {"rate_503", 0},
                                     {"rate_reset", 0},
                                     {"rate_slow_body", 0},
                                     {"slow_body_ms", 0},
                                     {"rate_malformed_json", 0},
                                     {"rate_empty_page", 0},
                                     {"stall_ms", 0},
                                     {"token_endpoint_down", false},
                                     {"vault_down", false},
                                     {"hostile", ""},
                                     {"operations", nlohmann::json::array()},
                                     {"vault", ""},
                                     {"seed", 0}};
    return d;
}

double num(const nlohmann::json& cfg, const char* k) {
    return cfg.value(k, 0.0);
}

}  // namespace

void Faults::merge(const nlohmann::json& j) {
    if (!j.is_object())
        bad_parameter("faults: body must be a JSON object");
    std::lock_guard lk(mu_);
    nlohmann::json next = cfg_;
    for (auto& [k, v] : j.items()) {
        if (!defaults().contains(k))
            bad_parameter("faults: unknown field '" + k + "'");
        const auto& d = defaults()[k];
        if (d.is_boolean() && !v.is_boolean())
            bad_parameter("faults: '" + k + "' must be a boolean");
        if (d.is_number() && (!v.is_number() || v.get<double>() < 0))
            bad_parameter("faults: '" + k + "' must be a non-negative number");
        if (k.rfind("rate_", 0) == 0 && v.get<double>() > 1)
            bad_parameter("faults: '" + k + "' must be between 0 and 1");
        if ((k == "vault" || k == "hostile") && !v.is_string())
            bad_parameter("faults: '" + k + "' must be a string");
        if (k == "hostile")
            validate_hostile_mode(v.get<std::string>());
        if (k == "operations") {
            if (!v.is_array())
                bad_parameter("faults: 'operations' must be an array of strings");
            for (auto& o : v)
                if (!o.is_string())
                    bad_parameter("faults: 'operations' must be an array of strings");
        }
        next[k] = v;
    }
    if (j.contains("seed"))
        rng_.seed(j["seed"].get<uint64_t>());
    cfg_ = std::move(next);
}

void Faults::reset() {
    std::lock_guard lk(mu_);
    cfg_ = nlohmann::json::object();
}

nlohmann::json Faults::to_json() const {
    std::lock_guard lk(mu_);
    nlohmann::json out = defaults();
    out.update(cfg_);
    return out;
}

bool Faults::token_endpoint_down() const {
    std::lock_guard lk(mu_);
    return cfg_.value("token_endpoint_down", false);
}

bool Faults::vault_down(const std::string& vault) const {
    std::lock_guard lk(mu_);
    auto filter = cfg_.value("vault", std::string());
    return cfg_.value("vault_down", false) && (filter.empty() || iequals(filter, vault));
}

std::string Faults::hostile_challenge(const std::string& vault) const {
    std::lock_guard lk(mu_);
    auto filter = cfg_.value("vault", std::string());
    if (!filter.empty() && !iequals(filter, vault))
        return "";
    return cfg_.value("hostile", std::string());
}

bool Faults::applies(const std::string& vault, const std::string& op) const {
    auto filter = cfg_.value("vault", std::string());
    if (!filter.empty() && !iequals(filter, vault))
        return false;
    auto ops = cfg_.value("operations", nlohmann::json::array());
    if (ops.empty())
        return true;
    for (auto& o : ops)
        if (iequals(o.get<std::string>(), op))
            return true;
    return false;
}

FaultDecision Faults::decide(const std::string& vault, const std::string& op) {
    std::lock_guard lk(mu_);
    FaultDecision d;
    if (cfg_.empty() || !applies(vault, op))
        return d;
    std::uniform_real_distribution<double> uni(0.0, 1.0);
    d.delay_ms = num(cfg_, "latency_ms") + num(cfg_, "stall_ms");
    if (double jitter = num(cfg_, "jitter_ms"); jitter > 0)
        d.delay_ms += uni(rng_) * jitter;
    d.retry_after_s = static_cast<int>(cfg_.value("retry_after_s", 1.0));
    d.slow_body_ms = static_cast<int>(num(cfg_, "slow_body_ms"));
    d.hostile = cfg_.value("hostile", std::string());
    // One draw against cumulative rates: at most one fault per request.
    const std::pair<const char*, FaultKind> order[] = {
        {"rate_429", FaultKind::Throttle},
        {"rate_429_no_retry_after", FaultKind::ThrottleNoRetryAfter},
        {"rate_500", FaultKind::Error500},
        {"rate_503", FaultKind::Error503},
        {"rate_reset", FaultKind::Reset},
        {"rate_slow_body", FaultKind::SlowBody},
        {"rate_malformed_json", FaultKind::MalformedJson},
        {"rate_empty_page", FaultKind::EmptyPage}};
    double u = uni(rng_), acc = 0;
    for (auto& [field, kind] : order) {
        double r = num(cfg_, field);
        if (r <= 0)
            continue;
        acc += r;
        if (u < acc) {
            d.kind = kind;
            break;
        }
    }
    return d;
}

}  // namespace azkv::emu
