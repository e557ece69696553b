#pragma once
// An active local digest (CKM_SHA256/384/512).

#include <span>
#include <vector>

#include "azkv/keys/digest.h"
#include "azkv/util/ossl.h"

namespace azkv::p11 {

class DigestOperation {
public:
    explicit DigestOperation(keys::DigestAlg alg);

    size_t Length() const { return keys::DigestSize(alg_); }
    void Update(std::span<const uint8_t> data);
    std::vector<uint8_t> Final();
    bool started() const { return started_; }

private:
    keys::DigestAlg alg_;
    EvpMdCtxPtr ctx_;
    bool started_ = false;
};

}  // namespace azkv::p11
