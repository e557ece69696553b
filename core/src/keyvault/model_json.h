#pragma once
// JSON <-> models. Parsers never throw: a missing or mistyped field becomes a kBadResponse that
// names the field, because the body came from a server we must not trust blindly.

#include <nlohmann/json.hpp>

#include "azkv/keyvault/models.h"
#include "azkv/util/status.h"
#include "keyvault/flat_json.h"

namespace azkv::keyvault::detail {

StatusOr<KeyBundle> ParseKeyBundle(const nlohmann::json& j);
StatusOr<KeyItem> ParseKeyItem(const nlohmann::json& j);
StatusOr<KeyAttributes> ParseAttributes(const nlohmann::json& j);
StatusOr<KeyOperationResult> ParseOperationResult(const nlohmann::json& j);
StatusOr<KeyOperationResult> ParseOperationResult(const FlatStringObject& f);
StatusOr<CertificateBundle> ParseCertificateBundle(const nlohmann::json& j);
StatusOr<SecretBundle> ParseSecretBundle(const nlohmann::json& j);

nlohmann::json CreateKeyBody(const CreateKeyParams& p);
nlohmann::json UpdateKeyBody(const UpdateKeyParams& p);

}  // namespace azkv::keyvault::detail
