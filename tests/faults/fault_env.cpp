#include "fault_env.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace azkv::faults {
namespace {

testing::EmulatorOptions DemoVault(std::vector<std::string> args) {
    testing::EmulatorOptions options;
    options.vaults = {"demo:vault"};
    options.extra_args = std::move(args);
    return options;
}

}  // namespace

FaultEnv::FaultEnv(std::vector<std::string> emulator_args)
    : emu_(DemoVault(std::move(emulator_args))) {
    char tmpl[] = "/tmp/azkv-faults.XXXXXX";
    if (mkdtemp(tmpl) == nullptr)
        throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
    config_path_ = dir_ + "/azkv.json";
    log_path_ = dir_ + "/azkv.log";
    WriteConfig();
}

FaultEnv::~FaultEnv() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

std::string FaultEnv::WriteConfig(const nlohmann::json& http, const nlohmann::json& cache,
                                  const std::string& log_level) {
    nlohmann::json http_cfg = {{"ca_file", emu_.Info().ca_file}};
    http_cfg.update(http);
    nlohmann::json config = {
        {"vaults", {{{"url", VaultUrl()}, {"label", "demo"}}}},
        {"identity", {{"type", "imds"}, {"endpoint", emu_.Info().imds_endpoint}}},
        {"http", http_cfg},
        {"log", {{"level", log_level}, {"target", log_path_}}}};
    if (!cache.empty())
        config["cache"] = cache;
    std::ofstream(config_path_) << config.dump(2);
    chmod(config_path_.c_str(), 0600);
    return config_path_;
}

std::string FaultEnv::ReadLog() const {
    std::ifstream in(log_path_);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

nlohmann::json FaultEnv::CreateKey(const std::string& name, const nlohmann::json& params) {
    auto r = emu_.Request("POST", VaultUrl() + "/keys/" + name + "/create?api-version=7.5",
                          params.dump(), emu_.GetToken(emu_.Vault("demo").resource));
    if (r.status != 200)
        throw std::runtime_error("create key " + name + ": " + r.body);
    return r.Json().at("key");
}

void FaultEnv::UpdateKey(const std::string& name, const nlohmann::json& attributes) {
    auto r = emu_.Request("PATCH", VaultUrl() + "/keys/" + name + "?api-version=7.5",
                          nlohmann::json{{"attributes", attributes}}.dump(),
                          emu_.GetToken(emu_.Vault("demo").resource));
    if (r.status != 200)
        throw std::runtime_error("update key " + name + ": " + r.body);
}

void FaultEnv::DeleteKey(const std::string& name) {
    auto r = emu_.Request("DELETE", VaultUrl() + "/keys/" + name + "?api-version=7.5", "",
                          emu_.GetToken(emu_.Vault("demo").resource));
    if (r.status != 200)
        throw std::runtime_error("delete key " + name + ": " + r.body);
}

LatencySummary Summarize(std::vector<double> samples) {
    LatencySummary s;
    if (samples.empty())
        return s;
    std::sort(samples.begin(), samples.end());
    auto at = [&](double q) {
        size_t i = static_cast<size_t>(q * static_cast<double>(samples.size() - 1));
        return samples[i];
    };
    s.p50 = at(0.50);
    s.p99 = at(0.99);
    s.max = samples.back();
    return s;
}

nlohmann::json MixedSignFaults() {
    return {{"rate_429", 0.10},      {"rate_429_no_retry_after", 0.10},
            {"retry_after_s", 0},    {"rate_503", 0.05},
            {"rate_reset", 0.02},    {"jitter_ms", 20},
            {"operations", {"sign"}}};
}

double MsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
        .count();
}

LoadResult RunLoad(int threads, int total,
                   const std::function<std::function<Outcome()>(int thread)>& setup) {
    std::atomic<int> next{0}, failures{0}, wrong{0};
    std::vector<std::vector<double>> latencies(threads);
    std::barrier start(threads);
    std::vector<std::thread> workers;
    auto wall = std::chrono::steady_clock::now();
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            std::function<Outcome()> op = setup(t);
            start.arrive_and_wait();
            while (next.fetch_add(1) < total) {
                auto begin = std::chrono::steady_clock::now();
                Outcome o = op();
                latencies[t].push_back(MsSince(begin));
                failures += o == Outcome::kFailed;
                wrong += o == Outcome::kWrong;
            }
        });
    }
    for (auto& w : workers)
        w.join();
    LoadResult r;
    r.wall_ms = MsSince(wall);
    std::vector<double> all;
    for (auto& l : latencies)
        all.insert(all.end(), l.begin(), l.end());
    r.latency = Summarize(std::move(all));
    r.failures = failures.load();
    r.wrong_answers = wrong.load();
    return r;
}

}  // namespace azkv::faults
