#!/bin/bash
# The Debian package: CPack builds it, dpkg installs it into a private root (dpkg --root, so
# that parallel tests and the machine's own /etc and module directories are left alone), and
# the installed files are used end to end: nginx through the installed provider and the
# installed openssl-azkv.cnf, pkcs11-tool through the installed module, the installed emulator
# and CLI.
#   deb_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
BUILD_DIR="$1"
SOURCE_DIR="$2"
command -v dpkg-deb >/dev/null && command -v cpack >/dev/null || { echo "SKIP: no dpkg-deb or cpack"; exit 77; }
WORK="$(mktemp -d /tmp/azkv-deb.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
FAILURES=0
pass() { echo "PASS: $*"; }
fail() {
    echo "FAIL: $*" >&2
    FAILURES=$((FAILURES + 1))
}

# cmake --install with prefix /usr lays out the tree the package holds. CPack packages that tree
# (rather than running its own install, which first rebuilds the whole project: a test must not
# build).
STAGE="$WORK/stage"
DESTDIR="$STAGE" cmake --install "$BUILD_DIR" --prefix /usr >"$WORK/install.log" 2>&1 ||
    { cat "$WORK/install.log" >&2; echo "FAIL: cmake --install" >&2; exit 1; }
pass "cmake --install --prefix /usr installed $(find "$STAGE" -type f | wc -l) files"
cpack -G DEB -B "$WORK/out" --config "$BUILD_DIR/CPackConfig.cmake" -D CPACK_INSTALL_CMAKE_PROJECTS= \
    -D "CPACK_INSTALLED_DIRECTORIES=$STAGE;/" -D CPACK_PACKAGING_INSTALL_PREFIX=/ >"$WORK/cpack.log" 2>&1 ||
    { cat "$WORK/cpack.log" >&2; echo "FAIL: cpack" >&2; exit 1; }
DEB="$(ls "$WORK"/out/azkv_*.deb)"
pass "cpack built $(basename "$DEB") ($(du -k "$DEB" | cut -f1) KiB)"

# Depends: every shared library the binaries need, and each satisfiable on this machine.
DEPENDS="$(dpkg-deb -f "$DEB" Depends)"
echo "    Depends: $DEPENDS"
for lib in libc6 libssl3 libcurl4 libstdc++6; do
    grep -q "\b$lib\b" <<<"$DEPENDS" && pass "Depends names $lib" || fail "Depends lacks $lib"
done
grep -q 'libssl3 (>= 3.0.7)' <<<"$DEPENDS" && pass "Depends asks for OpenSSL >= 3.0.7" ||
    fail "Depends lacks libssl3 (>= 3.0.7)"
while read -r pkg; do
    dpkg-query -W -f '${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
        fail "dependency $pkg is not installed on this Debian"
done < <(tr ',' '\n' <<<"$DEPENDS" | sed -e 's/|.*//' -e 's/(.*)//' -e 's/ //g' | grep .)

MULTIARCH="$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)"
MODULESDIR="$(openssl version -m | sed 's/.*"\(.*\)"/\1/')"
P11_DIR="$(pkg-config --variable=p11_module_path p11-kit-1)"
P11_CONFIGS="$(pkg-config --variable=p11_module_configs p11-kit-1)"
dpkg-deb -c "$DEB" | awk '{print $6}' | sed 's|^\./|/|' >"$WORK/contents"
for path in /usr/bin/azkv /usr/bin/azkv-emulator "$P11_DIR/libazkv-pkcs11.so" \
    "$MODULESDIR/azkv.so" "$P11_CONFIGS/azkv.module" /etc/azkv/azkv.json /etc/azkv/openssl-azkv.cnf \
    /usr/share/man/man1/azkv-emulator.1 /usr/share/man/man5/azkv.json.5 /usr/share/man/man7/azkv-pkcs11.7 \
    /usr/share/doc/azkv/examples/nginx/azkv-site.conf; do
    grep -qx "$path" "$WORK/contents" && pass "package installs $path" || fail "package lacks $path"
done
[ "$P11_DIR" = "/usr/lib/$MULTIARCH/pkcs11" ] || fail "p11-kit's module path is $P11_DIR"
grep -qx /usr/share/man/man1/azkv.1 "$WORK/contents" || echo "NOTE: azkv(1) is not in the package yet"
dpkg-deb -e "$DEB" "$WORK/control"
grep -qx /etc/azkv/azkv.json "$WORK/control/conffiles" && pass "/etc/azkv/azkv.json is a conffile" ||
    fail "/etc/azkv/azkv.json is not a conffile"

# Install with dpkg into a private root.
ROOT="$WORK/root"
mkdir -p "$ROOT/var/lib/dpkg/info" "$ROOT/var/lib/dpkg/updates"
: >"$ROOT/var/lib/dpkg/status"
# --force-depends: the private root's dpkg database has none of the dependencies, which were
# checked against the machine's above.
dpkg --root="$ROOT" --force-depends -i "$DEB" >"$WORK/dpkg.log" 2>&1 ||
    { cat "$WORK/dpkg.log" >&2; echo "FAIL: dpkg -i" >&2; exit 1; }
dpkg --root="$ROOT" -s azkv | grep -q "^Status: install ok installed" && pass "dpkg installed azkv" ||
    fail "dpkg does not list azkv as installed"
dpkg --root="$ROOT" -s azkv | grep -q "^ /etc/azkv/azkv.json [0-9a-f]\{32\}" &&
    pass "dpkg tracks /etc/azkv/azkv.json as a conffile" || fail "dpkg does not track the conffile"
[ "$(stat -c %a "$ROOT/etc/azkv/azkv.json")" = 644 ] && pass "/etc/azkv/azkv.json is 0644" ||
    fail "/etc/azkv/azkv.json mode $(stat -c %a "$ROOT/etc/azkv/azkv.json")"
grep -qx "module: libazkv-pkcs11.so" "$ROOT$P11_CONFIGS/azkv.module" && [ -f "$ROOT$P11_DIR/libazkv-pkcs11.so" ] &&
    pass "azkv.module names the module in p11-kit's module directory" || fail "azkv.module does not find the module"
"$ROOT/usr/bin/azkv-emulator" --help >/dev/null 2>&1 && pass "the installed azkv-emulator runs" ||
    fail "the installed azkv-emulator does not run"
"$ROOT/usr/bin/azkv" --help >/dev/null 2>&1 && pass "the installed azkv runs" || fail "the installed azkv does not run"

# End to end from the installed files: nginx (provider, key references) and pkcs11-tool.
if [ "$FAILURES" -eq 0 ]; then
    E2E_EMULATOR="$ROOT/usr/bin/azkv-emulator" E2E_OSSL_MODULES="$ROOT$MODULESDIR" \
        E2E_PKCS11_MODULE="$ROOT$P11_DIR/libazkv-pkcs11.so" E2E_OPENSSL_CNF="$ROOT/etc/azkv/openssl-azkv.cnf" \
        E2E_FULL=20 E2E_RESUMED=5 bash "$SOURCE_DIR/tests/e2e/nginx_test.sh" "$BUILD_DIR" "$SOURCE_DIR" provider \
        >"$WORK/nginx.log" 2>&1 && pass "nginx with the installed provider: $(grep -c '^PASS' "$WORK/nginx.log") checks" ||
        { sed 's/^/    /' "$WORK/nginx.log" >&2; fail "nginx with the installed provider"; }
    E2E_EMULATOR="$ROOT/usr/bin/azkv-emulator" bash "$SOURCE_DIR/tests/e2e/pkcs11_smoke.sh" \
        "$ROOT$P11_DIR/libazkv-pkcs11.so" "$SOURCE_DIR" >"$WORK/p11.log" 2>&1 &&
        pass "pkcs11-tool with the installed module: $(grep -c '^PASS' "$WORK/p11.log") checks" ||
        { sed 's/^/    /' "$WORK/p11.log" >&2; fail "pkcs11-tool with the installed module"; }
fi

if [ "$FAILURES" -ne 0 ]; then
    echo "$FAILURES check(s) failed" >&2
    exit 1
fi
echo "all checks passed"
