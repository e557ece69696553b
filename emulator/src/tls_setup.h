// The emulator's own PKI: a CA that clients trust (ca.pem) and a server certificate for every
// listener. Both are created on first start and reused while they still cover the names we serve.
#pragma once

#include <string>
#include <vector>

namespace azkv::emu {

struct TlsFiles {
    std::string ca_file, cert_file, key_file;
};

TlsFiles ensure_tls(const std::string& state_dir, const std::vector<std::string>& extra_hosts);

}  // namespace azkv::emu
