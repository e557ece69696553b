# shellcheck shell=bash
# nginx from conf/nginx/ for the e2e tests (sourced after e2e-env.sh): the site file, the env
# lines and the systemd drop-in's environment, with the shipped paths replaced by the test's.
#   nginx_site NAME PORT KEY        # a copy of azkv-site.conf serving $SITE/NAME.crt with KEY
#   nginx_main_conf WORKERS [MAIN-CONTEXT-LINES]
#   nginx_start                     # sets NGINX_PID; stopped by e2e-env's cleanup
NGINX_CONF_DIR="$SOURCE_DIR/conf/nginx"
mkdir -p "$SITE/www" "$SITE/logs" "$SITE/tmp"
echo "served with a key that never leaves the vault" >"$SITE/www/index.html"
: >"$SITE/sites.conf"

# nginx_dropin FILE: a systemd drop-in from conf/nginx/ (azkv.conf for the provider,
# azkv-engine.conf for libp11's engine); its Environment= lines become nginx's environment.
nginx_dropin() {
    NGINX_ENV_SHIPPED=()
    local line
    while IFS= read -r line; do
        NGINX_ENV_SHIPPED+=("${line#Environment=}")
    done < <(grep '^Environment=' "$1")
    [ "${#NGINX_ENV_SHIPPED[@]}" -ge 1 ] || e2e_die "$1 sets no environment"
    NGINX_ENV=("${NGINX_ENV_SHIPPED[@]}")
}
# nginx_openssl_conf FILE: the drop-in's OPENSSL_CONF (a file in /etc/azkv/) pointed at FILE.
nginx_openssl_conf() {
    NGINX_ENV=("${NGINX_ENV_SHIPPED[@]/#OPENSSL_CONF=\/etc\/azkv\/*.cnf/OPENSSL_CONF=$1}")
    printf '%s\n' "${NGINX_ENV[@]}" | grep -qxF "OPENSSL_CONF=$1" ||
        e2e_die "the drop-in sets no OPENSSL_CONF=/etc/azkv/*.cnf"
}
nginx_dropin "$NGINX_CONF_DIR/azkv.conf"
nginx_openssl_conf "$PROVIDER_CNF"

# Only the first site keeps the log_format line: nginx refuses a duplicate format name.
nginx_site() {
    local drop_format=""
    [ -s "$SITE/sites.conf" ] && drop_format='/^log_format /d'
    sed -e "s|listen 443 ssl;|listen 127.0.0.1:$2 ssl reuseport;|" -e '/listen \[::\]:443/d' \
        -e "s|/etc/azkv/tls/web.crt|$SITE/$1.crt|" -e "s|/etc/azkv/tls/web.key|$3|" \
        -e "s|/var/log/nginx/azkv-tls.log|$SITE/logs/access.log|" -e "s|/var/www/html|$SITE/www|" \
        -e "s|server_name www.example.com|server_name localhost|" -e "$drop_format" \
        "$NGINX_CONF_DIR/azkv-site.conf" >"$SITE/$1.site.conf"
    echo "    include $SITE/$1.site.conf;" >>"$SITE/sites.conf"
}

nginx_main_conf() {
    cp "$NGINX_CONF_DIR/azkv-env.conf" "$SITE/azkv-env.conf"
    cat >"$SITE/nginx.conf" <<CONF
$([ "$(id -u)" = 0 ] && echo "user root root;")
daemon off;
worker_processes $1;
pid $SITE/nginx.pid;
error_log $SITE/logs/error.log info;
include $SITE/azkv-env.conf;
${2:-}
events { worker_connections 128; }
http {
    access_log off;
    client_body_temp_path $SITE/tmp/body;
    proxy_temp_path $SITE/tmp/proxy;
    fastcgi_temp_path $SITE/tmp/fastcgi;
    uwsgi_temp_path $SITE/tmp/uwsgi;
    scgi_temp_path $SITE/tmp/scgi;
$(cat "$SITE/sites.conf")
}
CONF
}

# nginx_command: the nginx command line with the drop-in's environment and the test's azkv.json,
# in NGINX_CMD. env execs nginx, so a backgrounded "${NGINX_CMD[@]}" has the master's pid in $!.
nginx_command() {
    NGINX_CMD=(env -u OPENSSL_CONF -u OPENSSL_MODULES "${NGINX_ENV[@]}" AZKV_CONFIG="$SITE/azkv.json"
        nginx -e "$SITE/logs/error.log" -p "$SITE" -c "$SITE/nginx.conf")
}

nginx_start() {
    : >"$SITE/logs/access.log"
    nginx_command
    "${NGINX_CMD[@]}" >"$SITE/logs/stdout.log" 2>&1 &
    NGINX_PID=$!
    e2e_track_pid "$NGINX_PID"
}
