#pragma once
// The CKO_SECRET_KEY object of one Managed HSM AES (oct-HSM) key version.

#include <memory>

#include "azkv/keys/aes_key.h"
#include "key_objects.h"
#include "object.h"

namespace azkv::p11 {

std::shared_ptr<Object> BuildAesKeyObject(const std::shared_ptr<const keys::AesKey>& key,
                                          const KeyObjectContext& context);

}  // namespace azkv::p11
