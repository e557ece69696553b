#pragma once
// A token's objects by handle. A vault object keeps its handle for the life of the module
// (keyed by class, name and version), so refreshes and rotations never invalidate handles an
// application holds.

#include <atomic>
#include <map>
#include <string>
#include <vector>

#include "locking.h"
#include "object.h"

namespace azkv::p11 {

class ObjectStore {
public:
    ObjectStore(const AppLocking& locking, std::atomic<CK_ULONG>* handle_counter);

    // Publishes a token object, reusing the handle its class/name/version had before.
    CK_OBJECT_HANDLE PutTokenObject(std::shared_ptr<Object> object);
    CK_OBJECT_HANDLE PutSessionObject(std::shared_ptr<Object> object);

    ObjectPtr Get(CK_OBJECT_HANDLE handle) const;  // nullptr if unknown
    std::vector<ObjectPtr> All() const;
    // Token objects of a vault object name (all versions).
    std::vector<ObjectPtr> ByName(const std::string& name) const;

    void Remove(CK_OBJECT_HANDLE handle);
    void RemoveName(const std::string& name);
    void RemoveSessionObjects(CK_SESSION_HANDLE session);

private:
    mutable ModuleMutex mu_;
    std::atomic<CK_ULONG>* handle_counter_;
    std::map<CK_OBJECT_HANDLE, ObjectPtr> objects_;
    std::map<std::string, CK_OBJECT_HANDLE> handle_index_;  // "class|name|version" -> handle
};

}  // namespace azkv::p11
