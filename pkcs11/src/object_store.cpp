#include "object_store.h"

namespace azkv::p11 {
namespace {

std::string IndexKey(const Object& o) {
    return std::to_string(o.object_class) + "|" + o.name + "|" + o.version;
}

}  // namespace

ObjectStore::ObjectStore(const AppLocking& locking, std::atomic<CK_ULONG>* handle_counter)
    : mu_(locking), handle_counter_(handle_counter) {}

CK_OBJECT_HANDLE ObjectStore::PutTokenObject(std::shared_ptr<Object> object) {
    std::lock_guard<ModuleMutex> lock(mu_);
    auto [it, fresh] = handle_index_.try_emplace(IndexKey(*object), 0);
    if (fresh)
        it->second = handle_counter_->fetch_add(1);
    object->handle = it->second;
    objects_[object->handle] = std::move(object);
    return it->second;
}

CK_OBJECT_HANDLE ObjectStore::PutSessionObject(std::shared_ptr<Object> object) {
    std::lock_guard<ModuleMutex> lock(mu_);
    object->handle = handle_counter_->fetch_add(1);
    CK_OBJECT_HANDLE h = object->handle;
    objects_[h] = std::move(object);
    return h;
}

ObjectPtr ObjectStore::Get(CK_OBJECT_HANDLE handle) const {
    std::lock_guard<ModuleMutex> lock(mu_);
    auto it = objects_.find(handle);
    return it == objects_.end() ? nullptr : it->second;
}

std::vector<ObjectPtr> ObjectStore::All() const {
    std::lock_guard<ModuleMutex> lock(mu_);
    std::vector<ObjectPtr> out;
    out.reserve(objects_.size());
    for (const auto& [h, o] : objects_)
        out.push_back(o);
    return out;
}

std::vector<ObjectPtr> ObjectStore::ByName(const std::string& name) const {
    std::lock_guard<ModuleMutex> lock(mu_);
    std::vector<ObjectPtr> out;
    for (const auto& [h, o] : objects_) {
        if (o->is_token_object() && o->name == name)
            out.push_back(o);
    }
    return out;
}

void ObjectStore::Remove(CK_OBJECT_HANDLE handle) {
    std::lock_guard<ModuleMutex> lock(mu_);
    objects_.erase(handle);
}

void ObjectStore::RemoveName(const std::string& name) {
    std::lock_guard<ModuleMutex> lock(mu_);
    std::erase_if(objects_, [&](const auto& e) {
        return e.second->is_token_object() && e.second->name == name;
    });
}

void ObjectStore::RemoveSessionObjects(CK_SESSION_HANDLE session) {
    std::lock_guard<ModuleMutex> lock(mu_);
    std::erase_if(objects_, [&](const auto& e) { return e.second->owner == session; });
}

}  // namespace azkv::p11
