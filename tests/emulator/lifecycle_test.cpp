// Process lifecycle: ready file, persistence across restart, TLS reuse, SIGTERM, stats, ops log.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "emu_test_util.h"

namespace emu_test {
namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

TEST(Lifecycle, PersistenceAcrossRestartAndTlsReuse) {
    std::string dir = ::testing::TempDir() + "/emu-persist-" + std::to_string(getpid());
    std::filesystem::remove_all(dir);
    EmulatorOptions o;
    o.state_dir = dir;
    o.vaults = {"demo:vault", "hsm:mhsm"};
    EmulatorProcess emu(o);
    std::string ca_before = slurp(emu.Info().ca_file);
    std::string base = emu.Vault("demo").url;
    std::string t = emu.GetToken(base);
    auto created = emu.Request("POST", base + "/keys/keep/create?api-version=7.5",
                               R"({"kty":"EC","crv":"P-384","tags":{"a":"b"}})", t)
                       .Json();
    ASSERT_EQ(
        emu.Request("DELETE", emu.Vault("demo").url + "/keys/keep?api-version=7.5", "", t).status,
        200);
    ASSERT_EQ(emu.Request("POST", base + "/deletedkeys/keep/recover?api-version=7.5", "", t).status,
              200);
    ASSERT_EQ(emu.Request("PATCH", base + "/keys/keep?api-version=7.5", R"({"tags":{"c":"d"}})", t)
                  .status,
              200);
    // Key files are private and hold no key material in a returned shape.
    for (auto& e : std::filesystem::recursive_directory_iterator(dir)) {
        if (!e.is_regular_file())
            continue;
        std::string name = e.path().filename().string();
        if (name.find("key") != std::string::npos || e.path().extension() == ".json") {
            struct stat st {};
            stat(e.path().c_str(), &st);
            if (name != "ca.pem" && name != "server.pem") {
                EXPECT_EQ(st.st_mode & 0077, 0u) << e.path();
            }
        }
    }
    emu.Restart();
    EXPECT_EQ(slurp(emu.Info().ca_file), ca_before);
    std::string base2 = emu.Vault("demo").url;
    std::string t2 = emu.GetToken(base2);
    auto got = emu.Request("GET", base2 + "/keys/keep?api-version=7.5", "", t2);
    ASSERT_EQ(got.status, 200) << got.body;
    auto j = got.Json();
    EXPECT_EQ(j["key"]["x"], created["key"]["x"]);
    EXPECT_EQ(j["tags"]["c"], "d");
    std::string kid = created["key"]["kid"];
    EXPECT_EQ(
        j["key"]["kid"].get<std::string>().substr(j["key"]["kid"].get<std::string>().rfind('/')),
        kid.substr(kid.rfind('/')));
    // The reloaded private key still signs (verified locally).
    auto s = emu.Request(
        "POST", base2 + "/keys/keep/sign?api-version=7.5",
        nlohmann::json{{"alg", "ES384"}, {"value", b64url(sha("384", "z"))}}.dump(), t2);
    ASSERT_EQ(s.status, 200);
    EXPECT_EQ(unb64url(s.Json()["value"]).size(), 96u);
    EXPECT_EQ(emu.Stop(), 0);
    std::filesystem::remove_all(dir);
}

// A burst of clients (64 threads starting, a pool growing) must not overflow the accept queue:
// a dropped SYN is retried only after 1 s, so every connect finishing well within 1 s shows that
// none was dropped. The emulator's queue once held 6 (cpp-httplib's compiled-in backlog).
TEST(Lifecycle, ABurstOfConnectsIsAcceptedWithoutDroppedSyns) {
    EmulatorProcess emu{EmulatorOptions{}};
    std::string url = emu.Vault("demo").url;  // https://localhost:PORT
    int port = std::stoi(url.substr(url.rfind(':') + 1));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    constexpr int kClients = 200;
    std::vector<pollfd> fds;
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < kClients; ++i) {
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        ASSERT_GE(fd, 0);
        int rc = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        ASSERT_TRUE(rc == 0 || errno == EINPROGRESS) << strerror(errno);
        fds.push_back({fd, POLLOUT, 0});
    }
    int connected = 0;
    while (connected < kClients &&
           std::chrono::steady_clock::now() - start < std::chrono::milliseconds(5000)) {
        ASSERT_GE(poll(fds.data(), fds.size(), 50), 0);
        for (auto& p : fds) {
            if (p.fd >= 0 && (p.revents & (POLLOUT | POLLERR | POLLHUP))) {
                int err = 0;
                socklen_t len = sizeof err;
                getsockopt(p.fd, SOL_SOCKET, SO_ERROR, &err, &len);
                EXPECT_EQ(err, 0) << strerror(err);
                close(p.fd);
                p.fd = -1;  // poll ignores negative descriptors
                ++connected;
            }
        }
    }
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::steady_clock::now() - start)
                  .count();
    for (auto& p : fds)
        if (p.fd >= 0)
            close(p.fd);
    EXPECT_EQ(connected, kClients);
    EXPECT_LT(ms, 900) << "a connect waited for a SYN retry: the accept queue overflowed";
}

TEST(Lifecycle, SigtermExitsCleanlyAndRemovesReadyFile) {
    EmulatorProcess emu;
    std::string ready = emu.StateDir() + "/ready.json";
    EXPECT_TRUE(std::filesystem::exists(ready));
    struct stat st {};
    stat(ready.c_str(), &st);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_EQ(emu.Stop(), 0);
    EXPECT_FALSE(std::filesystem::exists(ready));
}

TEST(Lifecycle, StatsAndOpsLogWithoutSecrets) {
    std::string log = ::testing::TempDir() + "/ops-" + std::to_string(getpid()) + ".log";
    std::remove(log.c_str());
    EmulatorOptions o;
    o.extra_args = {"--ops-log", log};
    EmulatorProcess emu(o);
    std::string base = emu.Vault("demo").url;
    std::string t = emu.GetToken(base);
    azkv::testing::HttpSession s(emu.Info().ca_file);
    ASSERT_EQ(
        s.Request("POST", base + "/keys/s1/create?api-version=7.5", R"({"kty":"EC"})", t).status,
        200);
    for (int i = 0; i < 3; ++i)
        ASSERT_EQ(
            s.Request("POST", base + "/keys/s1/sign?api-version=7.5",
                      nlohmann::json{{"alg", "ES256"}, {"value", b64url(sha("256", "a"))}}.dump(),
                      t)
                .status,
            200);
    s.Request("GET", base + "/keys?api-version=7.5");  // 401
    auto st = emu.Stats();
    EXPECT_EQ(st["operations"]["sign"], 3);
    EXPECT_EQ(st["operations"]["create"], 1);
    EXPECT_EQ(st["statuses"]["401"], 1);
    EXPECT_EQ(st["vaults"]["demo"]["requests"], 5);
    EXPECT_EQ(st["vaults"]["demo"]["tls_connections"], 1);  // one keep-alive connection
    EXPECT_GE(st["token_requests"], 1);
    EXPECT_GE(st["identity_connections"], 1);
    emu.ResetStats();
    EXPECT_EQ(emu.Stats()["requests"], 0);
    EXPECT_EQ(emu.Stop(), 0);
    std::string text = slurp(log);
    EXPECT_EQ(text.find("AzKvEmUtOkEn"), std::string::npos);
    EXPECT_EQ(text.find("AzKvEmUsEcReT"), std::string::npos);
    int lines = 0, signs = 0;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        auto j = nlohmann::json::parse(line);
        for (auto f : {"ts", "vault", "conn", "method", "path", "op", "key", "version", "status",
                       "oid", "ms"})
            EXPECT_TRUE(j.contains(f)) << f;
        ++lines;
        if (j["op"] == "sign") {
            ++signs;
            EXPECT_EQ(j["key"], "s1");
            EXPECT_EQ(j["oid"], emu.Info().identities[0].object_id);
        }
    }
    EXPECT_EQ(signs, 3);
    EXPECT_GE(lines, 6);
    std::remove(log.c_str());
}

TEST(Lifecycle, BadCommandLineFails) {
    EmulatorOptions o;
    o.extra_args = {"--no-such-flag"};
    EXPECT_THROW(EmulatorProcess emu(o), std::runtime_error);
}

}  // namespace
}  // namespace emu_test
