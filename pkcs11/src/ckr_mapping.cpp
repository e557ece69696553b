#include "ckr_mapping.h"

namespace azkv::p11 {

CK_RV RvForStatus(const Status& status, RemoteOp op) {
    switch (status.code()) {
        case ErrorCode::kOk:
            return CKR_OK;
        case ErrorCode::kInvalidArgument:
            // The service refused the input (400), or core's own checks did.
            if (op == RemoteOp::kUnwrap) {
                return status.http_status() != 0 ? CKR_WRAPPED_KEY_INVALID
                                                 : CKR_WRAPPED_KEY_LEN_RANGE;
            }
            if (op == RemoteOp::kDecrypt) {
                return status.http_status() != 0 ? CKR_ENCRYPTED_DATA_INVALID
                                                 : CKR_ENCRYPTED_DATA_LEN_RANGE;
            }
            if (op == RemoteOp::kSign || op == RemoteOp::kEncrypt)
                return status.http_status() != 0 ? CKR_DATA_INVALID : CKR_DATA_LEN_RANGE;
            if (op == RemoteOp::kCreate)
                return CKR_TEMPLATE_INCONSISTENT;
            return CKR_ARGUMENTS_BAD;
        case ErrorCode::kNotFound:
            return CKR_KEY_HANDLE_INVALID;  // the key or version is gone from the vault
        case ErrorCode::kPermissionDenied:
        case ErrorCode::kKeyDisabled:
            return op == RemoteOp::kCreate || op == RemoteOp::kDelete
                       ? CKR_ACTION_PROHIBITED
                       : CKR_KEY_FUNCTION_NOT_PERMITTED;
        case ErrorCode::kUnsupported:
            return op == RemoteOp::kCreate ? CKR_TEMPLATE_INCONSISTENT
                                           : CKR_KEY_FUNCTION_NOT_PERMITTED;
        case ErrorCode::kUnauthenticated:
        case ErrorCode::kThrottled:
        case ErrorCode::kUnavailable:
        case ErrorCode::kDeadlineExceeded:
        case ErrorCode::kBadResponse:
            return CKR_DEVICE_ERROR;
        case ErrorCode::kConfig:
        case ErrorCode::kInternal:
            return CKR_GENERAL_ERROR;
    }
    return CKR_GENERAL_ERROR;
}

void ThrowStatus(const Status& status, RemoteOp op) {
    CK_RV rv = RvForStatus(status, op);
    LogLevel level =
        rv == CKR_DEVICE_ERROR || rv == CKR_GENERAL_ERROR ? LogLevel::kError : LogLevel::kWarn;
    throw P11Error(rv, status.ToString(), level);
}

const char* RvName(CK_RV rv) {
    switch (rv) {
#define AZKV_RV(x) \
    case x:        \
        return #x;
        AZKV_RV(CKR_OK)
        AZKV_RV(CKR_HOST_MEMORY)
        AZKV_RV(CKR_SLOT_ID_INVALID)
        AZKV_RV(CKR_GENERAL_ERROR)
        AZKV_RV(CKR_FUNCTION_FAILED)
        AZKV_RV(CKR_ARGUMENTS_BAD)
        AZKV_RV(CKR_CANT_LOCK)
        AZKV_RV(CKR_ATTRIBUTE_SENSITIVE)
        AZKV_RV(CKR_ATTRIBUTE_TYPE_INVALID)
        AZKV_RV(CKR_ATTRIBUTE_VALUE_INVALID)
        AZKV_RV(CKR_ATTRIBUTE_READ_ONLY)
        AZKV_RV(CKR_ACTION_PROHIBITED)
        AZKV_RV(CKR_DATA_INVALID)
        AZKV_RV(CKR_DATA_LEN_RANGE)
        AZKV_RV(CKR_DEVICE_ERROR)
        AZKV_RV(CKR_ENCRYPTED_DATA_INVALID)
        AZKV_RV(CKR_ENCRYPTED_DATA_LEN_RANGE)
        AZKV_RV(CKR_FUNCTION_NOT_SUPPORTED)
        AZKV_RV(CKR_KEY_HANDLE_INVALID)
        AZKV_RV(CKR_KEY_TYPE_INCONSISTENT)
        AZKV_RV(CKR_KEY_FUNCTION_NOT_PERMITTED)
        AZKV_RV(CKR_KEY_NOT_WRAPPABLE)
        AZKV_RV(CKR_KEY_UNEXTRACTABLE)
        AZKV_RV(CKR_KEY_SIZE_RANGE)
        AZKV_RV(CKR_MECHANISM_INVALID)
        AZKV_RV(CKR_MECHANISM_PARAM_INVALID)
        AZKV_RV(CKR_OBJECT_HANDLE_INVALID)
        AZKV_RV(CKR_OPERATION_ACTIVE)
        AZKV_RV(CKR_OPERATION_NOT_INITIALIZED)
        AZKV_RV(CKR_PIN_LOCKED)
        AZKV_RV(CKR_SESSION_HANDLE_INVALID)
        AZKV_RV(CKR_SESSION_PARALLEL_NOT_SUPPORTED)
        AZKV_RV(CKR_SESSION_READ_ONLY)
        AZKV_RV(CKR_SESSION_READ_ONLY_EXISTS)
        AZKV_RV(CKR_SIGNATURE_INVALID)
        AZKV_RV(CKR_SIGNATURE_LEN_RANGE)
        AZKV_RV(CKR_TEMPLATE_INCOMPLETE)
        AZKV_RV(CKR_TEMPLATE_INCONSISTENT)
        AZKV_RV(CKR_USER_ALREADY_LOGGED_IN)
        AZKV_RV(CKR_USER_NOT_LOGGED_IN)
        AZKV_RV(CKR_USER_TYPE_INVALID)
        AZKV_RV(CKR_WRAPPED_KEY_INVALID)
        AZKV_RV(CKR_WRAPPED_KEY_LEN_RANGE)
        AZKV_RV(CKR_WRAPPING_KEY_HANDLE_INVALID)
        AZKV_RV(CKR_WRAPPING_KEY_TYPE_INCONSISTENT)
        AZKV_RV(CKR_UNWRAPPING_KEY_HANDLE_INVALID)
        AZKV_RV(CKR_UNWRAPPING_KEY_TYPE_INCONSISTENT)
        AZKV_RV(CKR_RANDOM_SEED_NOT_SUPPORTED)
        AZKV_RV(CKR_BUFFER_TOO_SMALL)
        AZKV_RV(CKR_CRYPTOKI_NOT_INITIALIZED)
        AZKV_RV(CKR_CRYPTOKI_ALREADY_INITIALIZED)
        AZKV_RV(CKR_CURVE_NOT_SUPPORTED)
        AZKV_RV(CKR_FUNCTION_NOT_PARALLEL)
        AZKV_RV(CKR_NEED_TO_CREATE_THREADS)
#undef AZKV_RV
    }
    return "CKR_(other)";
}

}  // namespace azkv::p11
