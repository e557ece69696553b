// The 2.40 function list (C_GetFunctionList) and the 3.0 interfaces (C_GetInterfaceList,
// C_GetInterface), all built from function_names.def.

#include <cstring>

#include "bridge.h"
#include "p11_error.h"

namespace azkv::p11::bridge {
namespace {

CK_FUNCTION_LIST kList240 = {
    {2, 40},
#define AZKV_P11_FN(name) ::name,
#define AZKV_P11_FN_30(name)
#include "function_names.def"
#undef AZKV_P11_FN
#undef AZKV_P11_FN_30
};

CK_FUNCTION_LIST_3_0 kList30 = {
    {3, 0},
#define AZKV_P11_FN(name) ::name,
#define AZKV_P11_FN_30(name) ::name,
#include "function_names.def"
#undef AZKV_P11_FN
#undef AZKV_P11_FN_30
};

CK_CHAR kInterfaceName[] = "PKCS 11";

// Default first: the 3.0 list.
CK_INTERFACE kInterfaces[] = {
    {kInterfaceName, &kList30, 0},
    {kInterfaceName, &kList240, 0},
};
constexpr CK_ULONG kInterfaceCount = sizeof(kInterfaces) / sizeof(kInterfaces[0]);

const CK_VERSION& VersionOf(const CK_INTERFACE& i) {
    return *static_cast<const CK_VERSION*>(i.pFunctionList);  // both lists start with it
}

}  // namespace

CK_RV GetFunctionList(CK_FUNCTION_LIST_PTR_PTR out) {
    if (out == nullptr)
        return CKR_ARGUMENTS_BAD;
    *out = &kList240;
    return CKR_OK;
}

CK_RV GetInterfaceList(CK_INTERFACE_PTR list, CK_ULONG_PTR count) {
    if (count == nullptr)
        return CKR_ARGUMENTS_BAD;
    if (list == nullptr) {
        *count = kInterfaceCount;
        return CKR_OK;
    }
    if (*count < kInterfaceCount) {
        *count = kInterfaceCount;
        return CKR_BUFFER_TOO_SMALL;
    }
    std::memcpy(list, kInterfaces, sizeof(kInterfaces));
    *count = kInterfaceCount;
    return CKR_OK;
}

CK_RV GetInterface(CK_UTF8CHAR_PTR name, CK_VERSION_PTR version, CK_INTERFACE_PTR_PTR out,
                   CK_FLAGS flags) {
    if (out == nullptr)
        return CKR_ARGUMENTS_BAD;
    for (CK_INTERFACE& i : kInterfaces) {
        if (name != nullptr && std::strcmp(reinterpret_cast<const char*>(name),
                                           reinterpret_cast<const char*>(i.pInterfaceName)) != 0) {
            continue;
        }
        if (version != nullptr &&
            (version->major != VersionOf(i).major || version->minor != VersionOf(i).minor)) {
            continue;
        }
        if ((i.flags & flags) != flags)
            continue;
        *out = &i;
        return CKR_OK;
    }
    return CKR_ARGUMENTS_BAD;  // no interface with that name, version and flags
}

}  // namespace azkv::p11::bridge
