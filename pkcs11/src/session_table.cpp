#include "session_table.h"

namespace azkv::p11 {

CK_SESSION_HANDLE SessionTable::Open(Token* token, CK_FLAGS flags) {
    std::lock_guard<ModuleMutex> lock(mu_);
    CK_SESSION_HANDLE h = next_++;
    sessions_[h] = std::make_shared<Session>(h, token, flags, locking_);
    return h;
}

std::shared_ptr<Session> SessionTable::Get(CK_SESSION_HANDLE handle) const {
    std::lock_guard<ModuleMutex> lock(mu_);
    auto it = sessions_.find(handle);
    if (it == sessions_.end())
        throw P11Error(CKR_SESSION_HANDLE_INVALID, "");
    return it->second;
}

std::shared_ptr<Session> SessionTable::Close(CK_SESSION_HANDLE handle) {
    std::lock_guard<ModuleMutex> lock(mu_);
    auto it = sessions_.find(handle);
    if (it == sessions_.end())
        throw P11Error(CKR_SESSION_HANDLE_INVALID, "");
    auto s = it->second;
    sessions_.erase(it);
    return s;
}

std::vector<std::shared_ptr<Session>> SessionTable::CloseAll(CK_SLOT_ID slot) {
    std::lock_guard<ModuleMutex> lock(mu_);
    std::vector<std::shared_ptr<Session>> closed;
    for (auto it = sessions_.begin(); it != sessions_.end();) {
        if (it->second->token->slot_id() == slot) {
            closed.push_back(it->second);
            it = sessions_.erase(it);
        } else {
            ++it;
        }
    }
    return closed;
}

SessionCounts SessionTable::Count(CK_SLOT_ID slot) const {
    std::lock_guard<ModuleMutex> lock(mu_);
    SessionCounts c;
    for (const auto& [h, s] : sessions_) {
        if (s->token->slot_id() == slot) {
            ++c.all;
            c.read_write += s->read_write() ? 1 : 0;
        }
    }
    return c;
}

bool SessionTable::HasReadOnly(CK_SLOT_ID slot) const {
    SessionCounts c = Count(slot);
    return c.all > c.read_write;
}

}  // namespace azkv::p11
