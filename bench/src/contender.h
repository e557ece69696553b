#pragma once
// A contender: one way of making the same remote signature. Setup() loads whatever the way
// needs (the module, the provider, a token); each thread then gets its own Worker.

#include <memory>
#include <string>
#include <vector>

namespace azkv::bench {

enum class KeyKind { kRsa, kEc };

// Everything the contenders share, from the command line.
struct Target {
    std::string key_url;  // https://localhost:PORT/keys/NAME/VERSION (through the proxy)
    std::string origin;   // https://localhost:PORT
    std::string name;     // key name
    std::string version;  // key version
    KeyKind kind = KeyKind::kEc;
    std::string imds;      // IMDS endpoint (through the proxy), for the limit and the peer
    std::string resource;  // token resource of the vault
    std::string ca_file;
    std::string config;  // azkv.json (AZKV_CONFIG) for core, PKCS#11 and the provider
    std::string pkcs11_module;
    std::string provider_dir;  // the directory holding azkv.so
};

// The message every contender signs; SHA-256 of it is what the vault signs.
const std::vector<unsigned char>& Message();
const std::vector<unsigned char>& MessageDigest();

class Worker {
public:
    virtual ~Worker() = default;
    // One complete signature. False with `error` set on failure.
    virtual bool SignOnce(std::string& error) = 0;
};

class Contender {
public:
    virtual ~Contender() = default;
    virtual bool Setup(const Target& target, std::string& error) = 0;
    virtual std::unique_ptr<Worker> NewWorker(std::string& error) = 0;
};

// limit, core, pkcs11, provider, peer. Null for an unknown name.
std::unique_ptr<Contender> MakeContender(const std::string& name);

std::unique_ptr<Contender> MakeLimit();
std::unique_ptr<Contender> MakeCore();
std::unique_ptr<Contender> MakePkcs11();
std::unique_ptr<Contender> MakeProvider();
std::unique_ptr<Contender> MakePeer();

// The Key Vault sign request body for the message digest, exactly as azkv sends it.
std::string SignRequestBody(KeyKind kind);
std::string SignUrl(const Target& target);

}  // namespace azkv::bench
