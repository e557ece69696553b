// Throughput probe: ES256 signs/s against a fresh emulator over keep-alive connections.
// usage: azkv_emulator_bench [threads=4] [seconds=5]
#include <unistd.h>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "emulator_process.h"

// CPU seconds (user + system) the process has used so far: the emulator's own cost per sign,
// which does not depend on how busy the machine is.
double cpu_seconds(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(in, line);
    std::istringstream rest(line.substr(line.rfind(')') + 2));
    std::string field;
    double ticks = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i)
        if (i == 14 || i == 15)
            ticks += std::stod(field);
    return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

int main(int argc, char** argv) {
    int threads = argc > 1 ? std::atoi(argv[1]) : 4;
    int seconds = argc > 2 ? std::atoi(argv[2]) : 5;
    azkv::testing::EmulatorProcess emu;
    std::string base = emu.Vault("demo").url;
    std::string token = emu.GetToken(base);
    if (emu.Request("POST", base + "/keys/bench/create?api-version=7.5", R"({"kty":"EC-HSM"})",
                    token)
            .status != 200)
        return 1;
    std::string body = R"({"alg":"ES256","value":"47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU"})";
    std::string url = base + "/keys/bench/sign?api-version=7.5";
    std::atomic<long> done{0}, failed{0};
    std::atomic<bool> stop{false};
    std::vector<std::thread> ts;
    double cpu0 = cpu_seconds(emu.Pid());
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < threads; ++i)
        ts.emplace_back([&] {
            azkv::testing::HttpSession s(emu.Info().ca_file);
            while (!stop)
                (s.Request("POST", url, body, token).status == 200 ? done : failed)++;
        });
    std::this_thread::sleep_for(std::chrono::seconds(seconds));
    stop = true;
    for (auto& t : ts)
        t.join();
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double cpu = cpu_seconds(emu.Pid()) - cpu0;
    std::printf(
        "threads=%d signs=%ld failed=%ld seconds=%.2f signs/s=%.0f tls_connections=%s "
        "emulator_cpu_us_per_sign=%.0f\n",
        threads, done.load(), failed.load(), secs, static_cast<double>(done) / secs,
        emu.Stats()["vaults"]["demo"]["tls_connections"].dump().c_str(),
        done ? cpu * 1e6 / static_cast<double>(done) : 0.0);
    return failed == 0 ? 0 : 1;
}
