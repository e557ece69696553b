#pragma once
// CK_SLOT_INFO and CK_TOKEN_INFO for a token: fixed-width, space-padded fields; no network.

#include <string_view>

#include "cryptoki.h"
#include "token.h"

namespace azkv::p11 {

struct SessionCounts {
    CK_ULONG all = 0, read_write = 0;
};

// Copies `text` into a blank-padded fixed field (truncating at a UTF-8 boundary).
void PadField(unsigned char* field, size_t width, std::string_view text);

void FillSlotInfo(const Token& token, CK_SLOT_INFO* info);
void FillTokenInfo(const Token& token, SessionCounts counts, CK_TOKEN_INFO* info);

}  // namespace azkv::p11
