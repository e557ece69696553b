#!/usr/bin/env bash
# Runs the official Azure SDK for JavaScript against azkv-emulator (ctest label "compat").
#   run-compat.sh EMULATOR_BINARY SOURCE_DIR WORK_DIR
# Installs the SDK with `npm ci` from the committed package-lock.json into WORK_DIR (re-used while
# the lock file is unchanged), starts the emulator through tests/support/emulator-env.sh, and runs
# sdk.test.mjs with node:test. No network access to the npm registry = the test FAILS.
set -euo pipefail

EMULATOR="$1"
SRC="$2"
WORK="$3"
REPO="$(cd "$SRC/../.." && pwd)"

for tool in node npm; do
    if ! command -v "$tool" >/dev/null; then
        echo "FAIL: '$tool' is not installed; the compat test needs Node.js >= 20 and npm" >&2
        exit 1
    fi
done
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
    echo "FAIL: Node.js $(node --version) is too old; the Azure SDK packages need >= 20" >&2
    exit 1
fi

mkdir -p "$WORK"
lock_sum="$(cat "$SRC/package.json" "$SRC/package-lock.json" | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$WORK/.installed" 2>/dev/null)" != "$lock_sum" ] || [ ! -d "$WORK/node_modules" ]; then
    cp "$SRC/package.json" "$SRC/package-lock.json" "$WORK/"
    rm -f "$WORK/.installed"
    echo "npm ci in $WORK (Azure SDK for JavaScript, versions pinned by package-lock.json)"
    if ! (cd "$WORK" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error); then
        echo "FAIL: npm ci failed; is the npm registry reachable (proxy settings, npm config get registry)?" >&2
        exit 1
    fi
    echo "$lock_sum" >"$WORK/.installed"
fi
# ESM resolves packages relative to the importing file: the test runs next to node_modules.
cp "$SRC/sdk.test.mjs" "$WORK/sdk.test.mjs"

# shellcheck source=../support/emulator-env.sh
source "$REPO/tests/support/emulator-env.sh"
emu_start "$EMULATOR"

# Only the App Service managed identity: clear everything that would select another source.
unset MSI_ENDPOINT MSI_SECRET IMDS_ENDPOINT IDENTITY_SERVER_THUMBPRINT AZURE_POD_IDENTITY_AUTHORITY_HOST \
    AZURE_CLIENT_ID AZURE_TENANT_ID AZURE_CLIENT_SECRET AZURE_FEDERATED_TOKEN_FILE AZURE_AUTHORITY_HOST
export IDENTITY_ENDPOINT="$(emu_field "d['app_service']['endpoint']")"
export IDENTITY_HEADER="$(emu_field "d['app_service']['header']")"
export NODE_EXTRA_CA_CERTS="$CA_FILE"
export AZKV_EMU_READY="$EMU_DIR/ready.json"
# Never send the emulator's traffic through a proxy configured for npm.
export NO_PROXY="localhost,127.0.0.1,::1${NO_PROXY:+,$NO_PROXY}"
export no_proxy="$NO_PROXY"

set +e
(cd "$WORK" && node --test --test-reporter=spec --test-concurrency=1 sdk.test.mjs)
rc=$?
set -e
if [ "$rc" -ne 0 ]; then
    echo "--- emulator log ---" >&2
    tail -n 50 "$EMU_DIR/emulator.log" >&2 || true
fi
exit "$rc"
