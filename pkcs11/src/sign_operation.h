#pragma once
// Active sign and verify operations of a session. Signing makes exactly one remote call per
// signature, and only once the output buffer is known to be large enough: the signature length
// is known locally, so length queries and CKR_BUFFER_TOO_SMALL never reach the vault.
// Verification is local.

#include <memory>
#include <span>
#include <vector>

#include "signature_input.h"

namespace azkv::p11 {

class SignOperation {
public:
    explicit SignOperation(SignatureInput input) : input_(std::move(input)) {}

    size_t SignatureLength() const { return input_.SignatureLength(); }
    void Update(std::span<const uint8_t> data) { input_.Update(data); }
    bool multipart_started() const { return input_.multipart_started(); }
    std::vector<uint8_t> Sign(std::span<const uint8_t> data);  // one remote call
    std::vector<uint8_t> SignFinal();                          // one remote call

private:
    std::vector<uint8_t> Execute(const keys::SignPlan& plan);
    SignatureInput input_;
};

class VerifyOperation {
public:
    explicit VerifyOperation(SignatureInput input) : input_(std::move(input)) {}

    void Update(std::span<const uint8_t> data) { input_.Update(data); }
    bool multipart_started() const { return input_.multipart_started(); }
    // CKR_OK, CKR_SIGNATURE_INVALID or CKR_SIGNATURE_LEN_RANGE.
    CK_RV Verify(std::span<const uint8_t> data, std::span<const uint8_t> signature);
    CK_RV VerifyFinal(std::span<const uint8_t> signature);

private:
    CK_RV Check(const keys::SignPlan& plan, std::span<const uint8_t> signature);
    SignatureInput input_;
};

}  // namespace azkv::p11
