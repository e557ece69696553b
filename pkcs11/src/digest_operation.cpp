#include "digest_operation.h"

#include "p11_error.h"

namespace azkv::p11 {

DigestOperation::DigestOperation(keys::DigestAlg alg) : alg_(alg), ctx_(EVP_MD_CTX_new()) {
    if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), keys::DigestMd(alg), nullptr) != 1)
        throw P11Error(CKR_GENERAL_ERROR, "cannot start a digest", LogLevel::kError);
}

void DigestOperation::Update(std::span<const uint8_t> data) {
    started_ = true;
    if (!data.empty() && EVP_DigestUpdate(ctx_.get(), data.data(), data.size()) != 1)
        throw P11Error(CKR_GENERAL_ERROR, "digest update failed", LogLevel::kError);
}

std::vector<uint8_t> DigestOperation::Final() {
    std::vector<uint8_t> out(EVP_MAX_MD_SIZE);
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(ctx_.get(), out.data(), &len) != 1)
        throw P11Error(CKR_GENERAL_ERROR, "digest final failed", LogLevel::kError);
    out.resize(len);
    return out;
}

}  // namespace azkv::p11
