# Sourced after provider-env.sh by tests that run openssl s_server with vault keys:
#   start_server NAME KEY CERT [s_server options...]   # sets PORT; servers stop on exit
#   SERVER_OPENSSL=plain start_server ...               # a server without azkv (a reference)
SERVER_PIDS=()
stop_servers() {
    local pid
    for pid in "${SERVER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${SERVER_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    emu_stop
}
trap stop_servers EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# start_server NAME KEY CERT [s_server options...] -> sets PORT, or records a failure and returns 1.
# s_server loads the key (token, key metadata) before it listens, so an open port means ready.
# The wait is a bounded poll on the port that gives up at once when s_server exits; a port taken
# between free_port and s_server's bind is retried with another.
SERVER_WAIT_S=60
start_server() {
    local name="$1" key="$2" cert="$3"
    shift 3
    local attempt pid deadline
    for attempt in 1 2 3; do
        PORT="$(free_port)"
        "${SERVER_OPENSSL:-openssl}" s_server -accept "127.0.0.1:$PORT" -key "$key" -cert "$cert" -www -quiet "$@" \
            >"server-$PORT.log" 2>&1 &
        pid=$!
        deadline=$((SECONDS + SERVER_WAIT_S))
        while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do
            if port_open "$PORT"; then
                SERVER_PIDS+=("$pid")
                return 0
            fi
            sleep 0.1
        done
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        grep -qi "address already in use" "server-$PORT.log" || break
    done
    fail "$name: s_server did not listen within ${SERVER_WAIT_S} s"
    sed 's/^/    /' "server-$PORT.log" >&2
    PORT=""
    return 1
}
