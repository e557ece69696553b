#pragma once
// Managed HSM AES keys in the Cryptoki functions. entry_points.cpp calls these for encrypt,
// decrypt, wrap, unwrap, key generation and random: AES mechanisms (and active AES
// operations) are served here, everything else goes on to the RSA/EC code in bridge.h.

#include "cryptoki.h"

namespace azkv::p11::bridge {

enum class Direction { kEncrypt, kDecrypt };

// C_EncryptInit/C_DecryptInit, C_Encrypt/C_Decrypt, ...Update and ...Final, by direction.
// Update buffers (the output comes at Final), so it never writes to its output buffer.
CK_RV CipherInit(Direction d, CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE key);
CK_RV CipherSinglePart(Direction d, CK_SESSION_HANDLE h, CK_BYTE_PTR data, CK_ULONG len,
                       CK_BYTE_PTR out, CK_ULONG_PTR out_len);
CK_RV CipherUpdate(Direction d, CK_SESSION_HANDLE h, CK_BYTE_PTR data, CK_ULONG len, CK_BYTE_PTR,
                   CK_ULONG_PTR out_len);
CK_RV CipherFinal(Direction d, CK_SESSION_HANDLE h, CK_BYTE_PTR out, CK_ULONG_PTR out_len);

CK_RV KeyWrap(CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE wrapping_key,
              CK_OBJECT_HANDLE key, CK_BYTE_PTR out, CK_ULONG_PTR out_len);
CK_RV KeyUnwrap(CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE unwrapping_key,
                CK_BYTE_PTR wrapped, CK_ULONG wrapped_len, CK_ATTRIBUTE_PTR tmpl, CK_ULONG count,
                CK_OBJECT_HANDLE_PTR out);

// C_GenerateKey: CKM_AES_KEY_GEN creates an oct-HSM key (allow_create, Managed HSM).
CK_RV GenerateKey(CK_SESSION_HANDLE h, CK_MECHANISM_PTR m, CK_ATTRIBUTE_PTR tmpl, CK_ULONG count,
                  CK_OBJECT_HANDLE_PTR out);

// C_GenerateRandom: the HSM's RNG on Managed HSM tokens (128 bytes per request), else local.
CK_RV Random(CK_SESSION_HANDLE h, CK_BYTE_PTR out, CK_ULONG len);

}  // namespace azkv::p11::bridge
