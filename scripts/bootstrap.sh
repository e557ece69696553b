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
    clang libclang-rt-14-dev
)
# Real clients and servers that the tests drive.
TEST_PKGS=(
    curl ca-certificates procps iproute2 python3
    opensc gnutls-bin p11-kit softhsm2 libengine-pkcs11-openssl
    openssh-client openssh-server
    nginx apache2 haproxy
    valgrind gnuplot-nox
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

# Node.js 20+ with npm runs tests/compat (the official Azure SDK for JavaScript, whose current
# versions need Node 20). Keep a node the machine already has; Debian 12's own is Node 18.
if ! command -v node >/dev/null 2>&1; then
    missing+=(nodejs npm)
fi

check_node() {
    local major
    major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
    if [ "$major" -lt 20 ] || ! command -v npm >/dev/null 2>&1; then
        echo "bootstrap: warning: tests/compat needs Node.js 20+ with npm (found node ${major:-none});" \
             "install Node.js 20 (for example from NodeSource) to run it" >&2
    fi
}

if [ "${#missing[@]}" -eq 0 ]; then
    echo "bootstrap: all packages present"
    check_node
    exit 0
fi

echo "bootstrap: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# The tests start nginx, Apache and haproxy themselves, on loopback ports of their own. Keep the
# packages' maintainer scripts from starting system-wide copies on ports 80 and 443.
policy_rc_d=/usr/sbin/policy-rc.d
installed_policy=0
if [ ! -e "$policy_rc_d" ]; then
    printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$policy_rc_d" >/dev/null
    "${SUDO[@]}" chmod 755 "$policy_rc_d"
    installed_policy=1
fi
trap '[ "$installed_policy" = 1 ] && "${SUDO[@]}" rm -f "$policy_rc_d"' EXIT
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "bootstrap: done"
check_node
