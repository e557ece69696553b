#include "pkcs11_source.h"

#include <dlfcn.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/objects.h>
#include <p11-kit/pkcs11.h>

#include <algorithm>
#include <cstring>

namespace azkv::cli {
namespace {

// PKCS#11 2.40 §2.1.21; p11-kit's header has the mechanism but not its parameter struct.
struct RsaAesKeyWrapParams {
    CK_ULONG aes_key_bits;
    CK_RSA_PKCS_OAEP_PARAMS* oaep_params;
};

std::string Rv(CK_RV rv) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "CKR 0x%08lx", static_cast<unsigned long>(rv));
    return buf;
}

std::string Trim(const unsigned char* p, size_t n) {
    std::string s(reinterpret_cast<const char*>(p), n);
    s.erase(s.find_last_not_of(' ') + 1);
    return s;
}

std::vector<uint8_t> Bn(EVP_PKEY* key, const char* param) {
    BIGNUM* bn = nullptr;
    EVP_PKEY_get_bn_param(key, param, &bn);
    std::vector<uint8_t> out(static_cast<size_t>(BN_num_bytes(bn)));
    BN_bn2bin(bn, out.data());
    BN_free(bn);
    return out;
}

std::string CurveFromEcParams(const std::vector<uint8_t>& der) {
    const unsigned char* p = der.data();
    ASN1_OBJECT* obj = d2i_ASN1_OBJECT(nullptr, &p, static_cast<long>(der.size()));
    int nid = obj != nullptr ? OBJ_obj2nid(obj) : NID_undef;
    ASN1_OBJECT_free(obj);
    switch (nid) {
        case NID_X9_62_prime256v1:
            return "P-256";
        case NID_secp384r1:
            return "P-384";
        case NID_secp521r1:
            return "P-521";
        case NID_secp256k1:
            return "P-256K";
        default:
            return "";
    }
}

class Module {
public:
    ~Module() {
        if (session_ != CK_INVALID_HANDLE)
            fn_->C_CloseSession(session_);
        if (initialized_)
            fn_->C_Finalize(nullptr);
        if (handle_ != nullptr)
            dlclose(handle_);
    }

    Status Load(const std::string& path) {
        handle_ = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (handle_ == nullptr)
            return Fail(ErrorCode::kInvalidArgument, std::string("cannot load: ") + dlerror());
        auto get = reinterpret_cast<CK_RV (*)(CK_FUNCTION_LIST_PTR_PTR)>(
            dlsym(handle_, "C_GetFunctionList"));
        if (get == nullptr || get(&fn_) != CKR_OK || fn_ == nullptr)
            return Fail(ErrorCode::kInvalidArgument, "not a PKCS#11 module (no C_GetFunctionList)");
        CK_C_INITIALIZE_ARGS init{};
        init.flags = CKF_OS_LOCKING_OK;
        CK_RV rv = fn_->C_Initialize(&init);
        if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED)
            return Fail(ErrorCode::kUnavailable, "C_Initialize failed: " + Rv(rv));
        initialized_ = rv == CKR_OK;
        path_ = path;
        return Status::Ok();
    }

    Status Open(const Pkcs11WrapRequest& req) {
        CK_ULONG count = 0;
        fn_->C_GetSlotList(CK_TRUE, nullptr, &count);
        std::vector<CK_SLOT_ID> slots(count);
        if (fn_->C_GetSlotList(CK_TRUE, slots.data(), &count) != CKR_OK)
            return Fail(ErrorCode::kUnavailable, "C_GetSlotList failed");
        std::string labels;
        for (CK_SLOT_ID s : slots) {
            CK_TOKEN_INFO info{};
            if (fn_->C_GetTokenInfo(s, &info) != CKR_OK)
                continue;
            std::string label = Trim(info.label, sizeof info.label);
            labels += (labels.empty() ? "" : ", ") + label;
            if ((req.slot >= 0 && static_cast<long>(s) == req.slot) ||
                (req.slot < 0 && label == req.token_label)) {
                slot_ = s;
                description_ = Trim(info.manufacturerID, sizeof info.manufacturerID) + " " +
                               Trim(info.model, sizeof info.model) + " token " + label;
                CK_RV rv = fn_->C_OpenSession(s, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr,
                                              nullptr, &session_);
                if (rv != CKR_OK)
                    return Fail(ErrorCode::kUnavailable, "C_OpenSession failed: " + Rv(rv));
                return Status::Ok();
            }
        }
        return Fail(ErrorCode::kNotFound,
                    "no token " +
                        (req.slot >= 0 ? "in slot " + std::to_string(req.slot)
                                       : "labelled \"" + req.token_label + "\"") +
                        " (tokens: " + (labels.empty() ? "none" : labels) + ")");
    }

    Status Login(const SecretString& pin) {
        if (pin.empty())
            return Status::Ok();
        std::string_view p = pin.reveal();
        CK_RV rv =
            fn_->C_Login(session_, CKU_USER,
                         reinterpret_cast<CK_UTF8CHAR_PTR>(const_cast<char*>(p.data())), p.size());
        if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN)
            return Fail(ErrorCode::kUnauthenticated,
                        "C_Login failed (" + Rv(rv) + "): check the PIN");
        return Status::Ok();
    }

    StatusOr<CK_OBJECT_HANDLE> FindPrivateKey(const Pkcs11WrapRequest& req) {
        CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
        std::vector<CK_ATTRIBUTE> tmpl = {{CKA_CLASS, &cls, sizeof cls}};
        std::vector<uint8_t> id;
        if (!req.key_id_hex.empty()) {
            for (size_t i = 0; i + 1 < req.key_id_hex.size(); i += 2)
                id.push_back(
                    static_cast<uint8_t>(std::stoi(req.key_id_hex.substr(i, 2), nullptr, 16)));
            tmpl.push_back({CKA_ID, id.data(), id.size()});
        } else {
            tmpl.push_back(
                {CKA_LABEL, const_cast<char*>(req.key_label.data()), req.key_label.size()});
        }
        if (fn_->C_FindObjectsInit(session_, tmpl.data(), tmpl.size()) != CKR_OK)
            return Fail(ErrorCode::kUnavailable, "C_FindObjectsInit failed");
        CK_OBJECT_HANDLE found[2];
        CK_ULONG n = 0;
        fn_->C_FindObjects(session_, found, 2, &n);
        fn_->C_FindObjectsFinal(session_);
        std::string what = req.key_id_hex.empty() ? "labelled \"" + req.key_label + "\""
                                                  : "with id " + req.key_id_hex;
        if (n == 0)
            return Fail(ErrorCode::kNotFound, "no private key " + what + " (logged in?)");
        if (n > 1)
            return Fail(ErrorCode::kInvalidArgument,
                        "more than one private key " + what + "; name it by --key-id");
        return found[0];
    }

    StatusOr<std::vector<uint8_t>> Attribute(CK_OBJECT_HANDLE obj, CK_ATTRIBUTE_TYPE type) {
        CK_ATTRIBUTE a{type, nullptr, 0};
        if (fn_->C_GetAttributeValue(session_, obj, &a, 1) != CKR_OK ||
            a.ulValueLen == CK_UNAVAILABLE_INFORMATION)
            return Fail(ErrorCode::kUnsupported, "cannot read an attribute of the key");
        std::vector<uint8_t> v(a.ulValueLen);
        a.pValue = v.data();
        if (fn_->C_GetAttributeValue(session_, obj, &a, 1) != CKR_OK)
            return Fail(ErrorCode::kUnsupported, "cannot read an attribute of the key");
        return v;
    }

    bool HasMechanism(CK_MECHANISM_TYPE m) {
        CK_MECHANISM_INFO info{};
        return fn_->C_GetMechanismInfo(slot_, m, &info) == CKR_OK && (info.flags & CKF_WRAP) != 0;
    }

    // The KEK's public half as a session object that may wrap.
    StatusOr<CK_OBJECT_HANDLE> ImportKek(EVP_PKEY* kek) {
        std::vector<uint8_t> n = Bn(kek, OSSL_PKEY_PARAM_RSA_N);
        std::vector<uint8_t> e = Bn(kek, OSSL_PKEY_PARAM_RSA_E);
        CK_OBJECT_CLASS cls = CKO_PUBLIC_KEY;
        CK_KEY_TYPE kt = CKK_RSA;
        CK_BBOOL yes = CK_TRUE;
        CK_BBOOL no = CK_FALSE;
        CK_ATTRIBUTE tmpl[] = {{CKA_CLASS, &cls, sizeof cls},
                               {CKA_KEY_TYPE, &kt, sizeof kt},
                               {CKA_TOKEN, &no, sizeof no},
                               {CKA_WRAP, &yes, sizeof yes},
                               {CKA_ENCRYPT, &yes, sizeof yes},
                               {CKA_MODULUS, n.data(), n.size()},
                               {CKA_PUBLIC_EXPONENT, e.data(), e.size()}};
        CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
        CK_RV rv = fn_->C_CreateObject(session_, tmpl, std::size(tmpl), &h);
        if (rv != CKR_OK)
            return Fail(ErrorCode::kUnsupported, "cannot import the KEK public key: " + Rv(rv));
        return h;
    }

    StatusOr<std::vector<uint8_t>> Wrap(CK_MECHANISM* mech, CK_OBJECT_HANDLE wrapping,
                                        CK_OBJECT_HANDLE target, const char* what) {
        CK_ULONG len = 0;
        CK_RV rv = fn_->C_WrapKey(session_, mech, wrapping, target, nullptr, &len);
        std::vector<uint8_t> out(len);
        if (rv == CKR_OK)
            rv = fn_->C_WrapKey(session_, mech, wrapping, target, out.data(), &len);
        if (rv != CKR_OK) {
            std::string hint = rv == CKR_KEY_UNEXTRACTABLE || rv == CKR_KEY_NOT_WRAPPABLE
                                   ? " (the key must be CKA_EXTRACTABLE to leave the token wrapped)"
                                   : "";
            return Fail(ErrorCode::kUnsupported, std::string(what) + " failed: " + Rv(rv) + hint);
        }
        out.resize(len);
        return out;
    }

    StatusOr<CK_OBJECT_HANDLE> EphemeralAesKey() {
        CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
        CK_KEY_TYPE kt = CKK_AES;
        CK_ULONG len = 32;
        CK_BBOOL yes = CK_TRUE;
        CK_BBOOL no = CK_FALSE;
        CK_ATTRIBUTE tmpl[] = {
            {CKA_CLASS, &cls, sizeof cls},     {CKA_KEY_TYPE, &kt, sizeof kt},
            {CKA_VALUE_LEN, &len, sizeof len}, {CKA_TOKEN, &no, sizeof no},
            {CKA_WRAP, &yes, sizeof yes},      {CKA_EXTRACTABLE, &yes, sizeof yes},
            {CKA_SENSITIVE, &yes, sizeof yes}};
        CK_MECHANISM gen{CKM_AES_KEY_GEN, nullptr, 0};
        CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
        CK_RV rv = fn_->C_GenerateKey(session_, &gen, tmpl, std::size(tmpl), &h);
        if (rv != CKR_OK)
            return Fail(ErrorCode::kUnsupported, "cannot make the ephemeral AES key: " + Rv(rv));
        return h;
    }

    void Destroy(CK_OBJECT_HANDLE h) { fn_->C_DestroyObject(session_, h); }
    const std::string& description() const { return description_; }

private:
    Status Fail(ErrorCode code, const std::string& msg) const {
        return Status(code, "PKCS#11 module " + path_ + ": " + msg);
    }

    void* handle_ = nullptr;
    CK_FUNCTION_LIST_PTR fn_ = nullptr;
    bool initialized_ = false;
    std::string path_;
    CK_SLOT_ID slot_ = 0;
    CK_SESSION_HANDLE session_ = CK_INVALID_HANDLE;
    std::string description_;
};

}  // namespace

StatusOr<Pkcs11WrapResult> WrapWithPkcs11(const Pkcs11WrapRequest& req, EVP_PKEY* kek_public) {
    Module m;
    AZKV_RETURN_IF_ERROR(m.Load(req.module_path));
    AZKV_RETURN_IF_ERROR(m.Open(req));
    AZKV_RETURN_IF_ERROR(m.Login(req.pin));
    AZKV_ASSIGN_OR_RETURN(CK_OBJECT_HANDLE target, m.FindPrivateKey(req));
    Pkcs11WrapResult result;
    result.token_description = m.description();
    AZKV_ASSIGN_OR_RETURN(auto kt_bytes, m.Attribute(target, CKA_KEY_TYPE));
    CK_KEY_TYPE kt = 0;
    std::memcpy(&kt, kt_bytes.data(), std::min(sizeof kt, kt_bytes.size()));
    if (kt == CKK_RSA) {
        result.key_type = "RSA";
    } else if (kt == CKK_EC) {
        result.key_type = "EC";
        AZKV_ASSIGN_OR_RETURN(auto params, m.Attribute(target, CKA_EC_PARAMS));
        result.curve = CurveFromEcParams(params);
        if (result.curve.empty())
            return Status(
                ErrorCode::kUnsupported,
                "the EC key's curve is not one Key Vault takes (P-256, P-384, P-521, P-256K)");
    } else {
        return Status(ErrorCode::kUnsupported, "the key is neither RSA nor EC");
    }
    AZKV_ASSIGN_OR_RETURN(CK_OBJECT_HANDLE kek, m.ImportKek(kek_public));
    CK_RSA_PKCS_OAEP_PARAMS oaep{CKM_SHA_1, CKG_MGF1_SHA1, CKZ_DATA_SPECIFIED, nullptr, 0};
    bool one_call = req.mechanism == "rsa-aes" ||
                    (req.mechanism == "auto" && m.HasMechanism(CKM_RSA_AES_KEY_WRAP));
    if (one_call) {
        RsaAesKeyWrapParams params{256, &oaep};
        CK_MECHANISM mech{CKM_RSA_AES_KEY_WRAP, &params, sizeof params};
        AZKV_ASSIGN_OR_RETURN(result.ciphertext,
                              m.Wrap(&mech, kek, target, "CKM_RSA_AES_KEY_WRAP"));
        result.mechanism = "CKM_RSA_AES_KEY_WRAP";
        m.Destroy(kek);
        return result;
    }
    if (!m.HasMechanism(CKM_AES_KEY_WRAP_PAD) || !m.HasMechanism(CKM_RSA_PKCS_OAEP)) {
        return Status(
            ErrorCode::kUnsupported,
            "PKCS#11 module " + req.module_path +
                ": the token offers neither CKM_RSA_AES_KEY_WRAP nor CKM_AES_KEY_WRAP_PAD "
                "with CKM_RSA_PKCS_OAEP, so it cannot export a key for BYOK");
    }
    AZKV_ASSIGN_OR_RETURN(CK_OBJECT_HANDLE aes, m.EphemeralAesKey());
    CK_MECHANISM kwp{CKM_AES_KEY_WRAP_PAD, nullptr, 0};
    auto wrapped_target = m.Wrap(&kwp, aes, target, "CKM_AES_KEY_WRAP_PAD");
    CK_MECHANISM rsa{CKM_RSA_PKCS_OAEP, &oaep, sizeof oaep};
    auto wrapped_aes =
        wrapped_target.ok() ? m.Wrap(&rsa, kek, aes, "CKM_RSA_PKCS_OAEP") : wrapped_target.status();
    m.Destroy(aes);
    m.Destroy(kek);
    if (!wrapped_target.ok())
        return wrapped_target.status();
    if (!wrapped_aes.ok())
        return wrapped_aes.status();
    result.ciphertext = std::move(*wrapped_aes);
    result.ciphertext.insert(result.ciphertext.end(), wrapped_target->begin(),
                             wrapped_target->end());
    result.mechanism = "CKM_AES_KEY_WRAP_PAD+CKM_RSA_PKCS_OAEP";
    return result;
}

}  // namespace azkv::cli
