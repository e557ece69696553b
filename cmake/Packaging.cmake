# Installed files that belong to no single component, and the Debian package (CPack DEB).
#
# Layout (cmake --install --prefix /usr, and the .deb):
#   /usr/bin/azkv, /usr/bin/azkv-emulator                    (cli/, emulator/)
#   /usr/lib/<multiarch>/pkcs11/libazkv-pkcs11.so            (pkcs11/)
#   <OpenSSL MODULESDIR>/azkv.so                             (provider/)
#   /usr/share/p11-kit/modules/azkv.module                   (here)
#   /etc/azkv/azkv.json, /etc/azkv/openssl-azkv.cnf          (here, provider/; conffiles)
#   /usr/share/man/man{1,5,7}/...                            (here, cli/, emulator/)
#   /usr/share/doc/azkv/examples/{nginx,apache,haproxy}/...  (here)
# System integration paths (/etc/azkv, OpenSSL's and p11-kit's module directories) are absolute:
# the programs that read them look nowhere else, whatever the prefix.
if(NOT AZKV_WITH_CLIENT)
    return()
endif()

set(AZKV_SYSCONF_DIR /etc/azkv)
pkg_get_variable(AZKV_P11KIT_CONFIGS_DIR p11-kit-1 p11_module_configs)
if(NOT AZKV_P11KIT_CONFIGS_DIR)
    set(AZKV_P11KIT_CONFIGS_DIR /usr/share/p11-kit/modules)
endif()

install(FILES ${PROJECT_SOURCE_DIR}/conf/azkv.json DESTINATION ${AZKV_SYSCONF_DIR}
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
install(FILES ${PROJECT_SOURCE_DIR}/conf/azkv.module DESTINATION ${AZKV_P11KIT_CONFIGS_DIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/conf/nginx ${PROJECT_SOURCE_DIR}/conf/apache
                  ${PROJECT_SOURCE_DIR}/conf/haproxy
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)

# Man pages azkv.json(5) and azkv-pkcs11(7); azkv(1) and azkv-emulator(1) come with their programs.
install(FILES ${PROJECT_SOURCE_DIR}/docs/man/azkv.json.5 DESTINATION ${CMAKE_INSTALL_MANDIR}/man5)
install(FILES ${PROJECT_SOURCE_DIR}/docs/man/azkv-pkcs11.7 DESTINATION ${CMAKE_INSTALL_MANDIR}/man7)

# --- CPack: one Debian package -------------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME azkv)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Azure Key Vault and Managed HSM keys for PKCS#11 and OpenSSL 3")
set(CPACK_PACKAGE_CONTACT "azkv maintainers <azkv@example.invalid>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES TRUE)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "Azure Key Vault and Managed HSM keys for PKCS#11 and OpenSSL 3
 Private keys stay in Key Vault Premium or Managed HSM. azkv provides the PKCS#11 module
 libazkv-pkcs11.so, the OpenSSL 3 provider azkv.so (PEM key references for nginx, Apache and
 haproxy), the azkv command-line tool and azkv-emulator, a local Key Vault for tests.
 Tokens come from managed identities: no secret is stored.")
# Depends from the binaries' shared libraries (libc6, libssl3, libcurl4, libstdc++6, ...), plus
# the minimum OpenSSL the provider needs (OSSL_STORE by reference works from 3.0.7).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libssl3 (>= 3.0.7)")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "p11-kit-modules | p11-kit")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "libengine-pkcs11-openssl, opensc, nginx | apache2 | haproxy")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
# Local edits to the configuration survive upgrades: dpkg asks before replacing a conffile.
set(AZKV_CONFFILES ${PROJECT_BINARY_DIR}/cpack/conffiles)
file(WRITE ${AZKV_CONFFILES} "${AZKV_SYSCONF_DIR}/azkv.json\n${AZKV_SYSCONF_DIR}/openssl-azkv.cnf\n")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${AZKV_CONFFILES})
include(CPack)
