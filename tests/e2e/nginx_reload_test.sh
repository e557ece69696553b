#!/bin/bash
# Fork under load (issue #10): nginx (4 workers, PEM key reference through the provider) is
# reloaded while client loops keep it busy, every request a verified full handshake on its own
# connection. No request may fail, the workers must be replaced, and the vault must have made
# exactly one signature per full handshake (none lost, none doubled across the forks).
#   nginx_reload_test.sh BUILD_DIR SOURCE_DIR
# E2E_CLIENTS (client loops, default 4) and E2E_RELOADS (default 6, 1 s apart, alternating
# SIGHUP and `nginx -s reload`) tune the load.
command -v nginx >/dev/null || { echo "SKIP: nginx is not installed"; exit 77; }
source "$(dirname "$0")/e2e-env.sh" "$1" "$2"
source "$E2E_DIR/nginx-lib.sh"
CLIENTS="${E2E_CLIENTS:-4}"
RELOADS="${E2E_RELOADS:-6}"

e2e_cert rsa2048 web-rsa
nginx_site web-rsa "$RSA_PORT" "$SITE/web-rsa.key"
nginx_main_conf 4
nginx_start
e2e_wait_port "$RSA_PORT" "$NGINX_PID" "$SITE/logs/error.log"

# The master's serving workers (not old ones still finishing after a reload: "shutting down").
workers() { ps -o pid=,args= --ppid "$NGINX_PID" | awk '/worker process$/ {print $1}' | sort; }
# Workers whose key load and fork are done: every one answers before the load starts.
sleep 0.5
FIRST_WORKERS="$(workers)"

# client_loop N: bursts of 10 verified requests, each a full TLS 1.3 handshake on a new
# connection (no session cache, Connection: close), until the stop file appears. One line per
# request in client-N.out: "HTTP-CODE VERIFY-RESULT"; curl's errors in client-N.err.
client_loop() {
    while [ ! -e "$SITE/stop" ]; do
        plain curl -sS --fail --cacert "$SITE/web-rsa.crt" --resolve "localhost:$RSA_PORT:127.0.0.1" \
            --tlsv1.3 --no-sessionid -H "Connection: close" -o /dev/null \
            -w '%{http_code} %{ssl_verify_result}\n' "https://localhost:$RSA_PORT/?c=$1&n=[1-10]" \
            >>"$SITE/client-$1.out" 2>>"$SITE/client-$1.err" || true
    done
}

reset_stats
: >"$SITE/logs/access.log"
LOOPS=()
for c in $(seq 1 "$CLIENTS"); do
    client_loop "$c" &
    LOOPS+=("$!")
    e2e_track_pid "$!"
done
sleep 1
GENERATIONS=("$FIRST_WORKERS")
for r in $(seq 1 "$RELOADS"); do
    if [ $((r % 2)) = 1 ]; then
        kill -HUP "$NGINX_PID"
        how="SIGHUP"
    else
        # The graceful reload an operator types: nginx -s reload with the service's environment
        # (it parses the configuration, the key references included, before it signals).
        nginx_command
        "${NGINX_CMD[@]}" -s reload 2>>"$SITE/logs/signal.log" || fail "nginx -s reload failed"
        how="nginx -s reload"
    fi
    sleep 1
    GENERATIONS+=("$(workers)")
    echo "reload $r ($how): workers now $(workers | tr '\n' ' ')"
done
sleep 1
touch "$SITE/stop"
for pid in "${LOOPS[@]}"; do wait "$pid" || true; done
sleep 0.3 # access-log lines are written after the response

ok="$(cat "$SITE"/client-*.out | grep -c '^200 0$' || true)"
bad="$(cat "$SITE"/client-*.out | grep -vc '^200 0$' || true)"
if [ "$bad" -eq 0 ] && [ "$ok" -ge 100 ]; then
    pass "$ok verified requests over $RELOADS reloads with $CLIENTS clients, 0 failed"
else
    fail "$bad of $((ok + bad)) requests failed during the reloads (want 0 failed, >= 100 answered)"
    cat "$SITE"/client-*.err | sort | uniq -c | sort -rn | head -5 | sed 's/^/    /' >&2
fi

# Every reload replaced all workers: no worker pid survives into the next generation, and the
# access log shows requests served by workers of several generations.
replaced=0
for i in $(seq 1 "${#GENERATIONS[@]}"); do
    [ "$i" -lt "${#GENERATIONS[@]}" ] || break
    [ -n "$(comm -12 <(echo "${GENERATIONS[$((i - 1))]}") <(echo "${GENERATIONS[$i]}"))" ] ||
        replaced=$((replaced + 1))
done
serving="$(e2e_signers "$SITE/logs/access.log")"
if [ "$replaced" -eq "$RELOADS" ] && [ "$(workers | wc -l)" -eq 4 ] && [ "$serving" -gt 4 ]; then
    pass "each of the $RELOADS reloads replaced all 4 workers; $serving worker pids served requests"
else
    fail "$replaced of $RELOADS reloads replaced every worker; $(workers | wc -l) workers now; $serving served"
fi

full="$(awk '$1 == "tls" && $3 != "r"' "$SITE/logs/access.log" | grep -c . || true)"
resumed="$(awk '$1 == "tls" && $3 == "r"' "$SITE/logs/access.log" | grep -c . || true)"
signs="$(op_count sign)"
if [ "$full" -eq "$ok" ] && [ "$resumed" -eq 0 ] && [ "$signs" -eq "$full" ]; then
    pass "$signs remote signs for $full full handshakes across the reloads"
else
    fail "$signs remote signs, $full full and $resumed resumed handshakes logged, $ok answered (want all equal, 0 resumed)"
fi
if grep -E '\[(alert|emerg|crit)\]|exited on signal' "$SITE/logs/error.log" | head -5 | sed 's/^/    /' >&2; then
    fail "nginx logged alerts or crashes during the reloads"
else
    pass "no alert, crash or emergency in nginx's error log"
fi
e2e_no_private_key "$SITE/web-rsa.key"
e2e_finish
