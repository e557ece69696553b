#pragma once
// The single-shot finish that C_Sign/C_SignFinal, C_Encrypt and C_Digest/C_DigestFinal share:
// the output's length is known before the work, so a length query or a short buffer returns
// before `produce` runs (no remote call), and a written result ends the operation.

#include <memory>

#include "bridge_util.h"
#include "session.h"

namespace azkv::p11 {

// `length(op)` is the output's size; `produce(op)` does the work and returns the bytes.
template <typename Op, typename Length, typename Produce>
CK_RV FinishWithOutput(std::unique_ptr<Op>& slot, CK_BYTE_PTR out, CK_ULONG_PTR out_len,
                       Length&& length, Produce&& produce) {
    return RunOperation(slot, [&](Op& op) -> CK_RV {
        if (auto rv = OutputNotReady(out, out_len, length(op)))
            return *rv;
        WriteOutput(out, out_len, produce(op));
        slot.reset();
        return CKR_OK;
    });
}

}  // namespace azkv::p11
