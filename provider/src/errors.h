#pragma once
// Errors on the OpenSSL error queue. Each carries one of our reason codes (a short category that
// `openssl errstr` and ERR_reason_error_string know) and a message that names the vault, the key,
// the operation, the cause and what to do.

#include <openssl/core.h>

#include <string>

#include "azkv/util/status.h"

namespace azkv::provider {

class ProviderCtx;

enum Reason : int {
    kReasonInvalidArgument = 1,
    kReasonConfig,
    kReasonNotFound,
    kReasonPermissionDenied,
    kReasonUnauthenticated,
    kReasonKeyDisabled,
    kReasonUnsupported,
    kReasonThrottled,
    kReasonUnavailable,
    kReasonDeadlineExceeded,
    kReasonBadResponse,
    kReasonInternal,
    kReasonBadUri,
    kReasonPssSaltLength,
    kReasonPrivateKeyNotExportable,
    kReasonBadKeyReference,
};

const OSSL_ITEM* ReasonStrings();

void RaiseError(const ProviderCtx* ctx, int reason, const std::string& message, const char* file,
                int line, const char* func);
void RaiseStatus(const ProviderCtx* ctx, const Status& status, const char* file, int line,
                 const char* func);

}  // namespace azkv::provider

#define AZKV_RAISE(ctx, reason, message) \
    ::azkv::provider::RaiseError(ctx, reason, message, OPENSSL_FILE, OPENSSL_LINE, OPENSSL_FUNC)
#define AZKV_RAISE_STATUS(ctx, status) \
    ::azkv::provider::RaiseStatus(ctx, status, OPENSSL_FILE, OPENSSL_LINE, OPENSSL_FUNC)
