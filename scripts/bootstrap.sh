#!/usr/bin/env bash
# Installs every Debian package that azkv's build, tests and demo need.
# Idempotent: packages already present are left alone, and the script says what it installs.
set -euo pipefail

# Build toolchain and libraries.
BUILD_PKGS=(
    build-essential cmake pkg-config git
    libssl-dev openssl
    libcurl4-openssl-dev
    nlohmann-json3-dev
    libcpp-httplib-dev
    libp11-kit-dev
    libgtest-dev libgmock-dev googletest
    clang-format clang-tidy
)
# Real clients and servers that the tests drive.
TEST_PKGS=(
    curl ca-certificates procps iproute2 python3
    opensc gnutls-bin p11-kit softhsm2 libengine-pkcs11-openssl
    openssh-client openssh-server
)

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=(sudo)
    else
        echo "bootstrap: not root and no sudo; install these by hand: ${BUILD_PKGS[*]} ${TEST_PKGS[*]}" >&2
        exit 1
    fi
fi

missing=()
for p in "${BUILD_PKGS[@]}" "${TEST_PKGS[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

# Node.js is needed by tests/compat (the official Azure SDK for JavaScript). Keep a node that
# the machine already has (for example a newer upstream build); otherwise take Debian's.
if ! command -v node >/dev/null 2>&1; then
    missing+=(nodejs npm)
fi

if [ "${#missing[@]}" -eq 0 ]; then
    echo "bootstrap: all packages present"
    exit 0
fi

echo "bootstrap: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "bootstrap: done"
