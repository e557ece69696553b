// Shared helpers for the emulator tests: an emulator per test suite, base64url and OpenSSL
// code that checks the emulator's outputs independently.
#pragma once

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "emulator_process.h"

namespace emu_test {

using Bytes = std::vector<unsigned char>;
using azkv::testing::EmulatorOptions;
using azkv::testing::EmulatorProcess;
using azkv::testing::HttpResponse;
using PKey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

std::string b64url(const Bytes& b);
Bytes unb64url(const std::string& s);  // strict: fails the test on '=' or '+' '/'
Bytes sha(const std::string& alg_bits, const std::string& data);  // "256"/"384"/"512"
Bytes random_bytes(size_t n);
PKey pkey_from_jwk(const nlohmann::json& jwk);  // public key from the emulator's JWK

// One emulator for the whole suite: vaults "demo" (vault) and "hsm" (mhsm).
class EmulatorSuite : public ::testing::Test {
protected:
    static void SetUpTestSuite();
    static void TearDownTestSuite();
    static EmulatorProcess& emu() { return *emu_; }
    static std::string url(const std::string& vault, const std::string& path,
                           const std::string& api = "7.5");
    static std::string token(const std::string& vault);  // cached per vault
    static HttpResponse call(const std::string& method, const std::string& vault,
                             const std::string& path, const nlohmann::json& body = nullptr);
    // Creates a key with a unique name; returns the KeyBundle.
    static nlohmann::json create_key(const std::string& vault, const nlohmann::json& params,
                                     std::string* name = nullptr);
    static std::string unique_name(const std::string& prefix);

    static inline std::unique_ptr<EmulatorProcess> emu_;
    static inline std::map<std::string, std::string> tokens_;
};

}  // namespace emu_test
