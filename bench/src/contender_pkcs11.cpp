// PKCS#11: the built module, dlopened as any application would, one session per thread,
// C_SignInit + C_Sign with CKM_ECDSA_SHA256 or CKM_SHA256_RSA_PKCS (hashed in the module).
#include <dlfcn.h>
#include <p11-kit/pkcs11.h>

#include <cstdlib>

#include "contender.h"

namespace azkv::bench {

namespace {

std::string Rv(const char* what, CK_RV rv) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s: CKR 0x%lx", what, static_cast<unsigned long>(rv));
    return buf;
}

class Pkcs11Worker : public Worker {
public:
    Pkcs11Worker(CK_FUNCTION_LIST_PTR f, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE key, KeyKind kind)
        : f_(f), session_(s), key_(key), kind_(kind) {}
    ~Pkcs11Worker() override { f_->C_CloseSession(session_); }
    bool SignOnce(std::string& error) override {
        CK_MECHANISM mech{kind_ == KeyKind::kRsa ? CKM_SHA256_RSA_PKCS : CKM_ECDSA_SHA256, nullptr,
                          0};
        CK_RV rv = f_->C_SignInit(session_, &mech, key_);
        if (rv != CKR_OK) {
            error = Rv("C_SignInit", rv);
            return false;
        }
        unsigned char sig[512];
        CK_ULONG len = sizeof sig;
        rv = f_->C_Sign(session_, const_cast<unsigned char*>(Message().data()), Message().size(),
                        sig, &len);
        if (rv != CKR_OK) {
            error = Rv("C_Sign", rv);
            return false;
        }
        return true;
    }

private:
    CK_FUNCTION_LIST_PTR f_;
    CK_SESSION_HANDLE session_;
    CK_OBJECT_HANDLE key_;
    KeyKind kind_;
};

class Pkcs11 : public Contender {
public:
    ~Pkcs11() override {
        if (f_ != nullptr)
            f_->C_Finalize(nullptr);
    }
    bool Setup(const Target& target, std::string& error) override {
        kind_ = target.kind;
        setenv("AZKV_CONFIG", target.config.c_str(), 1);
        void* lib = dlopen(target.pkcs11_module.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (lib == nullptr) {
            error = std::string("dlopen: ") + dlerror();
            return false;
        }
        auto get = reinterpret_cast<CK_C_GetFunctionList>(dlsym(lib, "C_GetFunctionList"));
        if (get == nullptr || get(&f_) != CKR_OK) {
            error = "C_GetFunctionList failed";
            return false;
        }
        CK_C_INITIALIZE_ARGS args{};
        args.flags = CKF_OS_LOCKING_OK;
        CK_RV rv = f_->C_Initialize(&args);
        if (rv != CKR_OK) {
            error = Rv("C_Initialize", rv);
            f_ = nullptr;
            return false;
        }
        CK_SLOT_ID slots[8];
        CK_ULONG count = 8;
        rv = f_->C_GetSlotList(CK_TRUE, slots, &count);
        if (rv != CKR_OK || count == 0) {
            error = Rv("C_GetSlotList (or no token)", rv);
            return false;
        }
        slot_ = slots[0];
        CK_SESSION_HANDLE s;
        rv = f_->C_OpenSession(slot_, CKF_SERIAL_SESSION, nullptr, nullptr, &s);
        if (rv != CKR_OK) {
            error = Rv("C_OpenSession", rv);
            return false;
        }
        CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
        CK_ATTRIBUTE tmpl[] = {
            {CKA_CLASS, &cls, sizeof cls},
            {CKA_LABEL, const_cast<char*>(target.name.data()), target.name.size()}};
        CK_ULONG found = 0;
        rv = f_->C_FindObjectsInit(s, tmpl, 2);
        if (rv == CKR_OK)
            rv = f_->C_FindObjects(s, &key_, 1, &found);
        f_->C_FindObjectsFinal(s);
        f_->C_CloseSession(s);
        if (rv != CKR_OK || found != 1) {
            error = rv != CKR_OK ? Rv("C_FindObjects", rv) : "key " + target.name + " not found";
            return false;
        }
        return true;
    }
    std::unique_ptr<Worker> NewWorker(std::string& error) override {
        CK_SESSION_HANDLE s;
        CK_RV rv = f_->C_OpenSession(slot_, CKF_SERIAL_SESSION, nullptr, nullptr, &s);
        if (rv != CKR_OK) {
            error = Rv("C_OpenSession", rv);
            return nullptr;
        }
        return std::make_unique<Pkcs11Worker>(f_, s, key_, kind_);
    }

private:
    CK_FUNCTION_LIST_PTR f_ = nullptr;
    CK_SLOT_ID slot_ = 0;
    CK_OBJECT_HANDLE key_ = 0;
    KeyKind kind_ = KeyKind::kEc;
};

}  // namespace

std::unique_ptr<Contender> MakePkcs11() {
    return std::make_unique<Pkcs11>();
}

}  // namespace azkv::bench
