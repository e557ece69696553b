#include "errors.h"

#include <cstdarg>

#include <openssl/crypto.h>
#include <openssl/err.h>

#include "azkv/log/log.h"
#include "provider_ctx.h"

namespace azkv::provider {

const OSSL_ITEM* ReasonStrings() {
    static const OSSL_ITEM kReasons[] = {
        {kReasonInvalidArgument, const_cast<char*>("invalid argument")},
        {kReasonConfig, const_cast<char*>("azkv configuration error")},
        {kReasonNotFound, const_cast<char*>("key or certificate not found in the vault")},
        {kReasonPermissionDenied, const_cast<char*>("the vault denied permission")},
        {kReasonUnauthenticated, const_cast<char*>("no access token for the vault")},
        {kReasonKeyDisabled, const_cast<char*>("key disabled, expired or not yet valid")},
        {kReasonUnsupported, const_cast<char*>("not supported for this key or vault")},
        {kReasonThrottled, const_cast<char*>("throttled by the vault")},
        {kReasonUnavailable, const_cast<char*>("vault unavailable")},
        {kReasonDeadlineExceeded, const_cast<char*>("vault request timed out")},
        {kReasonBadResponse, const_cast<char*>("unexpected answer from the vault")},
        {kReasonInternal, const_cast<char*>("internal error")},
        {kReasonBadUri, const_cast<char*>("malformed azkv URI")},
        {kReasonPssSaltLength, const_cast<char*>("RSA-PSS salt length not supported by Key Vault")},
        {kReasonPrivateKeyNotExportable,
         const_cast<char*>("vault private keys cannot be exported")},
        {kReasonBadKeyReference, const_cast<char*>("malformed AZKV KEY REFERENCE")},
        {0, nullptr},
    };
    return kReasons;
}

namespace {

int ReasonFor(ErrorCode code) {
    switch (code) {
        case ErrorCode::kOk:
        case ErrorCode::kInternal:
            return kReasonInternal;
        case ErrorCode::kInvalidArgument:
            return kReasonInvalidArgument;
        case ErrorCode::kConfig:
            return kReasonConfig;
        case ErrorCode::kNotFound:
            return kReasonNotFound;
        case ErrorCode::kPermissionDenied:
            return kReasonPermissionDenied;
        case ErrorCode::kUnauthenticated:
            return kReasonUnauthenticated;
        case ErrorCode::kKeyDisabled:
            return kReasonKeyDisabled;
        case ErrorCode::kUnsupported:
            return kReasonUnsupported;
        case ErrorCode::kThrottled:
            return kReasonThrottled;
        case ErrorCode::kUnavailable:
            return kReasonUnavailable;
        case ErrorCode::kDeadlineExceeded:
            return kReasonDeadlineExceeded;
        case ErrorCode::kBadResponse:
            return kReasonBadResponse;
    }
    return kReasonInternal;
}

void CallVsetError(const ProviderCtx* ctx, int reason, const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    ctx->core().vset_error(ctx->handle(), static_cast<uint32_t>(ERR_PACK(0, 0, reason)), fmt, args);
    va_end(args);
}

}  // namespace

void RaiseError(const ProviderCtx* ctx, int reason, const std::string& message, const char* file,
                int line, const char* func) {
    log::Write({.level = LogLevel::kDebug, .operation = "openssl", .message = message});
    if (ctx == nullptr || ctx->core().new_error == nullptr || ctx->core().vset_error == nullptr)
        return;
    ctx->core().new_error(ctx->handle());
    if (ctx->core().set_error_debug != nullptr)
        ctx->core().set_error_debug(ctx->handle(), file, line, func);
    CallVsetError(ctx, reason, "%s", message.c_str());
}

void RaiseStatus(const ProviderCtx* ctx, const Status& status, const char* file, int line,
                 const char* func) {
    RaiseError(ctx, ReasonFor(status.code()), status.ToString(), file, line, func);
}

}  // namespace azkv::provider
