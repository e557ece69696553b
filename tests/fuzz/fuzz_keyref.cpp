// The AZKV KEY REFERENCE decoder (provider/src/keyref_der.cpp): the DER inside the PEM files
// that nginx, Apache and haproxy read as "private keys".

#include <cstdint>
#include <span>

#include "keyref_der.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto ref = azkv::provider::DecodeKeyReference(std::span<const uint8_t>(data, size));
    if (!ref.ok())
        return 0;
    // Whatever decodes must encode again and decode to the same reference.
    auto der = azkv::provider::EncodeKeyReference(ref->uri, ref->public_key.get());
    if (!der.ok())
        return 0;  // e.g. a URI the encoder refuses to write
    auto again = azkv::provider::DecodeKeyReference(*der);
    if (!again.ok() || again->uri != ref->uri)
        __builtin_trap();
    return 0;
}
