#pragma once
// All open sessions, by handle. Handles are validated on every call; a closed or unknown
// handle is CKR_SESSION_HANDLE_INVALID, never a crash.

#include <map>
#include <memory>

#include "locking.h"
#include "session.h"
#include "slot.h"

namespace azkv::p11 {

class SessionTable {
public:
    explicit SessionTable(const AppLocking& locking) : mu_(locking), locking_(locking) {}

    CK_SESSION_HANDLE Open(Token* token, CK_FLAGS flags);
    std::shared_ptr<Session> Get(CK_SESSION_HANDLE handle) const;
    std::shared_ptr<Session> Close(CK_SESSION_HANDLE handle);  // the closed session
    std::vector<std::shared_ptr<Session>> CloseAll(CK_SLOT_ID slot);
    SessionCounts Count(CK_SLOT_ID slot) const;
    bool HasReadOnly(CK_SLOT_ID slot) const;

private:
    mutable ModuleMutex mu_;
    AppLocking locking_;
    std::map<CK_SESSION_HANDLE, std::shared_ptr<Session>> sessions_;
    CK_SESSION_HANDLE next_ = 1;
};

}  // namespace azkv::p11
