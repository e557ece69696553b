#pragma once
// The `azkv cert` commands: cert_read (list, show, export) and cert_create (create-self-signed,
// request, merge).

#include <string>
#include <vector>

namespace azkv::cli {

int CertList(const std::vector<std::string>& argv);
int CertShow(const std::vector<std::string>& argv);
int CertExport(const std::vector<std::string>& argv);
int CertCreate(const std::vector<std::string>& argv, bool self_signed);
int CertMerge(const std::vector<std::string>& argv);

}  // namespace azkv::cli
