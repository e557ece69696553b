# shellcheck shell=bash
# Sourced by the end-to-end tests: real servers (nginx, Apache, haproxy) terminating TLS with
# vault keys, driven by curl with full certificate verification, counted by azkv-emulator.
#
#   source e2e-env.sh BUILD_DIR SOURCE_DIR
#   e2e_cert rsa2048 web-rsa          # vault certificate CN=localhost: $SITE/web-rsa.crt + .key
#   ... start a server with PID, e2e_track_pid PID, e2e_wait_port PORT ...
#   e2e_handshakes NAME PORT CERT 1.3 LOG RESUMED_WORD   # the counted handshake bursts
#   e2e_no_private_key; e2e_finish
#
# Binaries under test default to the build tree; E2E_EMULATOR, E2E_OSSL_MODULES (directory
# holding azkv.so) and E2E_PKCS11_MODULE point the same tests at installed files (deb test).
# Everything a server reads lives in $SITE (mode 0755, so that Apache's children, which run as
# www-data, can read the CA file libcurl opens per connection); the emulator's state directory,
# which stands in for the HSM, stays private.
set -euo pipefail

BUILD_DIR="$1"
SOURCE_DIR="$2"
E2E_DIR="$SOURCE_DIR/tests/e2e"
EMULATOR="${E2E_EMULATOR:-$BUILD_DIR/emulator/azkv-emulator}"
OSSL_MODULES_DIR="${E2E_OSSL_MODULES:-$BUILD_DIR/provider}"
PKCS11_MODULE="${E2E_PKCS11_MODULE:-$BUILD_DIR/pkcs11/libazkv-pkcs11.so}"
# Full handshakes per (key, TLS version) and connections per resumption burst. Four
# combinations per server: 4 x (70 + 10) = 320 handshakes, 284 of them full.
E2E_FULL="${E2E_FULL:-70}"
E2E_RESUMED="${E2E_RESUMED:-10}"

# shellcheck source=../support/emulator-env.sh
source "$SOURCE_DIR/tests/support/emulator-env.sh"
emu_start "$EMULATOR" ${E2E_EMULATOR_ARGS:-}

SITE="$(mktemp -d /tmp/azkv-e2e.XXXXXX)"
chmod 755 "$SITE"
cd "$SITE"
E2E_PIDS=()
e2e_cleanup() {
    local pid
    for pid in "${E2E_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${E2E_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    emu_stop
    [ -n "${E2E_KEEP:-}" ] && echo "kept $SITE" >&2 || rm -rf "$SITE"
}
trap e2e_cleanup EXIT
e2e_track_pid() { E2E_PIDS+=("$1"); }

FAILURES=0
pass() { echo "PASS: $*"; }
fail() {
    echo "FAIL: $*" >&2
    FAILURES=$((FAILURES + 1))
}
e2e_finish() {
    if [ "$FAILURES" -ne 0 ]; then
        echo "$FAILURES check(s) failed" >&2
        exit 1
    fi
    echo "all checks passed"
}
# e2e_die MESSAGE [LOG...]: a failure that makes the rest of the test meaningless.
e2e_die() {
    echo "FAIL: $1" >&2
    shift
    local log
    for log in "$@"; do [ -f "$log" ] && sed "s|^|    $(basename "$log"): |" "$log" | tail -40 >&2; done
    exit 1
}

# The servers' azkv configuration: conf/azkv.json as shipped (allowlist, per-vault user-assigned
# identity, http, cache, log), pointed at the emulator's vaults and identities, with the CA
# copied next to it so that processes that dropped privileges can read it.
cp "$CA_FILE" "$SITE/vault-ca.pem"
chmod 644 "$SITE/vault-ca.pem"
python3 "$E2E_DIR/site_config.py" "${E2E_AZKV_JSON:-$SOURCE_DIR/conf/azkv.json}" "$EMU_DIR/ready.json" \
    "$SITE/vault-ca.pem" >"$SITE/azkv.json"
chmod 644 "$SITE/azkv.json"
# conf/openssl-azkv.cnf (or E2E_OPENSSL_CNF, the installed copy) as shipped, pointed at the azkv.so under test and at that configuration.
PROVIDER_CNF="$SITE/openssl-azkv.cnf"
sed -e "s|^# module = .*|module = $OSSL_MODULES_DIR/azkv.so|" \
    -e "s|^# azkv-config = .*|azkv-config = $SITE/azkv.json|" \
    "${E2E_OPENSSL_CNF:-$SOURCE_DIR/conf/openssl-azkv.cnf}" >"$PROVIDER_CNF"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# openssl with azkv loaded, as the servers see it
with_azkv() { OPENSSL_CONF="$PROVIDER_CNF" "$@"; }
# openssl and curl without azkv: the independent side of every check.
plain() { env -u OPENSSL_CONF -u OPENSSL_MODULES "$@"; }

# e2e_cert SPEC NAME: a vault certificate for CN=localhost (key created in the vault), its leaf
# in $SITE/NAME.crt and a PEM key reference to its key version in $SITE/NAME.key. Sets KID.
e2e_cert() {
    KID="$(python3 "$E2E_DIR/vault_cert.py" "$EMU_DIR/ready.json" demo "$2" "$1" "$SITE/$2.crt")" ||
        e2e_die "creating the vault certificate $2"
    with_azkv openssl pkey -in "azkv:$KID" -out "$SITE/$2.key" ||
        e2e_die "writing the key reference of $KID"
    chmod 644 "$SITE/$2.crt" "$SITE/$2.key"
}

# e2e_wait_port PORT PID LOG: waits until something accepts on 127.0.0.1:PORT (up to 30 s: the
# first key load fetches a token and the key), failing early when PID dies.
e2e_wait_port() {
    for _ in $(seq 1 300); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        kill -0 "$2" 2>/dev/null || e2e_die "the server (pid $2) exited" "$3"
        sleep 0.1
    done
    e2e_die "nothing listens on 127.0.0.1:$1 after 30 s" "$3"
}

op_count() { emu_stats | python3 -c "import json,sys; print(json.load(sys.stdin)['operations'].get('$1',0))"; }
reset_stats() { curl -sf --cacert "$CA_FILE" -X POST -d '' "$VAULT_URL/_emulator/stats/reset" >/dev/null; }

# curl_burst PORT CERT VERSION COUNT full|resume: COUNT verified HTTPS requests, each on its own
# connection. "full" turns off curl's session cache, so every connection is a full handshake;
# "resume" keeps it, so every connection after the first resumes.
curl_burst() {
    local port="$1" cert="$2" version="$3" count="$4" mode="$5"
    local args=(-sS --fail --cacert "$cert" --resolve "localhost:$port:127.0.0.1"
        --tlsv"$version" --tls-max "$version" -H "Connection: close"
        -o /dev/null -w '%{http_code} %{ssl_verify_result}\n')
    [ "$mode" = full ] && args+=(--no-sessionid)
    plain curl "${args[@]}" "https://localhost:$port/?n=[1-$count]"
}

# e2e_handshakes NAME PORT CERT VERSION LOG RESUMED_WORD
# LOG is the server's access log with one line per request: "tls PROTOCOL RESUMED PID ..." where
# RESUMED equals RESUMED_WORD on a resumed session. Asserts, against the server's own log and the
# emulator's counters: every request verified and answered; exactly one remote sign per full
# handshake, none per resumption, no remote decrypt; the negotiated protocol.
e2e_handshakes() {
    local name="$1" port="$2" cert="$3" version="$4" log="$5" resumed_word="$6"
    local before out lines full resumed signs decrypts
    before="$(wc -l <"$log")"
    reset_stats
    local started=$EPOCHREALTIME
    out="$(curl_burst "$port" "$cert" "$version" "$E2E_FULL" full 2>&1)" || true
    if [ "$(grep -c '^200 0$' <<<"$out")" -eq "$E2E_FULL" ]; then
        pass "$name: $E2E_FULL verified full handshakes answered ($(python3 -c \
            "print(round(($EPOCHREALTIME - $started) * 1000 / $E2E_FULL, 1))") ms each)"
    else
        fail "$name: full handshakes: $(grep -vc '^200 0$' <<<"$out") of $E2E_FULL failed"
        grep -v '^200 0$' <<<"$out" | head -5 | sed 's/^/    /' >&2
    fi
    sleep 0.2  # access logs are written after the response
    lines="$(tail -n +"$((before + 1))" "$log" | grep '^tls ' || true)"
    full="$(awk -v r="$resumed_word" '$3 != r' <<<"$lines" | grep -c . || true)"
    signs="$(op_count sign)"
    decrypts="$(op_count decrypt)"
    if [ "$full" -eq "$E2E_FULL" ] && [ "$signs" -eq "$full" ] && [ "$decrypts" -eq 0 ]; then
        pass "$name: $signs remote signs for $full full handshakes"
    else
        fail "$name: $full full handshakes in the server log, $signs remote signs, $decrypts decrypts (want $E2E_FULL, $E2E_FULL, 0)"
    fi
    if [ "$(awk '{print $2}' <<<"$lines" | sort -u)" = "TLSv$version" ]; then
        pass "$name: every connection negotiated TLSv$version"
    else
        fail "$name: protocols in the server log: $(awk '{print $2}' <<<"$lines" | sort | uniq -c | tr '\n' ' ')"
    fi

    before="$(wc -l <"$log")"
    reset_stats
    out="$(curl_burst "$port" "$cert" "$version" "$E2E_RESUMED" resume 2>&1)" || true
    sleep 0.2
    lines="$(tail -n +"$((before + 1))" "$log" | grep '^tls ' || true)"
    resumed="$(awk -v r="$resumed_word" '$3 == r' <<<"$lines" | grep -c . || true)"
    full="$(awk -v r="$resumed_word" '$3 != r' <<<"$lines" | grep -c . || true)"
    signs="$(op_count sign)"
    if [ "$(grep -c '^200 0$' <<<"$out")" -eq "$E2E_RESUMED" ] &&
        [ "$resumed" -eq "$((E2E_RESUMED - 1))" ] && [ "$full" -eq 1 ] && [ "$signs" -eq 1 ]; then
        pass "$name: $resumed resumed handshakes made no remote call"
    else
        fail "$name: resumption burst: $resumed resumed, $full full, $signs remote signs (want $((E2E_RESUMED - 1)), 1, 1)"
        grep -v '^200 0$' <<<"$out" | head -5 | sed 's/^/    /' >&2
    fi
}

# The two sites every server test runs: RSA-2048 on $RSA_PORT with $SITE/web-rsa.crt and P-256
# on $EC_PORT with $SITE/web-ec.crt.
RSA_PORT="$(free_port)"
EC_PORT="$(free_port)"
# e2e_wait_sites PID LOG: both sites accept connections
e2e_wait_sites() {
    e2e_wait_port "$RSA_PORT" "$1" "$2"
    e2e_wait_port "$EC_PORT" "$1" "$2"
}
# e2e_matrix LABEL LOG RESUMED_WORD: e2e_handshakes for both keys over TLS 1.2 and 1.3
e2e_matrix() {
    local version
    for version in 1.2 1.3; do
        e2e_handshakes "$1 RSA-2048 TLS $version" "$RSA_PORT" "$SITE/web-rsa.crt" "$version" "$2" "$3"
        e2e_handshakes "$1 P-256 TLS $version" "$EC_PORT" "$SITE/web-ec.crt" "$version" "$2" "$3"
    done
}
# e2e_signers LOG: how many processes or threads (the log's 4th field) served requests
e2e_signers() { awk '$1 == "tls" {print $4}' "$1" | sort -u | grep -c . || true; }

# e2e_no_private_key FILE...: the key files are references (no private key on disk, unreadable
# by OpenSSL without azkv), and nothing in the server's tree holds a private key.
e2e_no_private_key() {
    local key found
    for key in "$@"; do
        if grep -q -- '-----BEGIN AZKV KEY REFERENCE-----' "$key" &&
            ! plain openssl pkey -in "$key" -noout 2>/dev/null; then
            pass "$(basename "$key") is a key reference, not a key"
        else
            fail "$(basename "$key") is not a bare key reference"
        fi
    done
    found="$(grep -rlE -- '-----BEGIN ([A-Z]+ )?PRIVATE KEY-----' "$SITE" 2>/dev/null || true)"
    if [ -z "$found" ]; then
        pass "no private key anywhere in the server's files ($(find "$SITE" -type f | wc -l) files)"
    else
        fail "private key material on disk: $found"
    fi
}
