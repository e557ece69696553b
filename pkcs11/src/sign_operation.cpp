#include "sign_operation.h"

#include "ckr_mapping.h"

namespace azkv::p11 {

std::vector<uint8_t> SignOperation::Execute(const keys::SignPlan& plan) {
    return ValueOrThrow(input_.key().Sign(plan), RemoteOp::kSign);
}

std::vector<uint8_t> SignOperation::Sign(std::span<const uint8_t> data) {
    if (input_.multipart_started()) {
        Fail(CKR_OPERATION_ACTIVE, "C_Sign cannot finish a multi-part signature; call C_SignFinal");
    }
    return Execute(input_.PlanSingle(data, false));
}

std::vector<uint8_t> SignOperation::SignFinal() {
    return Execute(input_.PlanFinal(false));
}

CK_RV VerifyOperation::Check(const keys::SignPlan& plan, std::span<const uint8_t> signature) {
    if (signature.size() != input_.SignatureLength())
        return CKR_SIGNATURE_LEN_RANGE;
    return input_.key().VerifyLocal(plan, signature).ok() ? CKR_OK : CKR_SIGNATURE_INVALID;
}

CK_RV VerifyOperation::Verify(std::span<const uint8_t> data, std::span<const uint8_t> signature) {
    if (input_.multipart_started()) {
        Fail(CKR_OPERATION_ACTIVE,
             "C_Verify cannot finish a multi-part verification; call C_VerifyFinal");
    }
    return Check(input_.PlanSingle(data, true), signature);
}

CK_RV VerifyOperation::VerifyFinal(std::span<const uint8_t> signature) {
    return Check(input_.PlanFinal(true), signature);
}

}  // namespace azkv::p11
