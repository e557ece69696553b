#!/bin/bash
# Apache httpd 2.4 mod_ssl with the prefork or the event MPM, terminating TLS with PEM key
# references through azkv.so, configured from conf/apache/ (site file and envvars lines). The
# parent loads the keys; the children (www-data when run as root) sign after fork.
#   apache_test.sh BUILD_DIR SOURCE_DIR prefork|event
command -v apache2 >/dev/null || { echo "SKIP: apache2 is not installed"; exit 77; }
source "$(dirname "$0")/e2e-env.sh" "$1" "$2"
MPM="$3"
CONF="$SOURCE_DIR/conf/apache"
MODULES=/usr/lib/apache2/modules
mkdir -p "$SITE/www" "$SITE/logs" "$SITE/run"
echo "served with a key that never leaves the vault" >"$SITE/www/index.html"

# The envvars lines, with the shipped paths replaced by the ones under test.
APACHE_ENV=(APACHE_LOG_DIR="$SITE/logs" AZKV_CONFIG="$SITE/azkv.json")
while IFS= read -r line; do
    APACHE_ENV+=("$(sed "s|/etc/azkv/openssl-azkv.cnf|$PROVIDER_CNF|" <<<"${line#export }")")
done < <(grep '^export ' "$CONF/envvars")
[ "${#APACHE_ENV[@]}" -ge 3 ] || e2e_die "conf/apache/envvars exports nothing"

# site NAME PORT: conf/apache/azkv-ssl.conf on 127.0.0.1:PORT with NAME's certificate and key.
site() {
    echo "Listen 127.0.0.1:$2"
    sed -e "s|<VirtualHost \*:443>|<VirtualHost 127.0.0.1:$2>|" -e "s|www.example.com|localhost|" \
        -e "s|/etc/azkv/tls/web.crt|$SITE/$1.crt|" -e "s|/etc/azkv/tls/web.key|$SITE/$1.key|" \
        -e "s|/var/www/html|$SITE/www|" "$CONF/azkv-ssl.conf"
}

e2e_cert rsa2048 web-rsa
e2e_cert p256 web-ec
# Only the parent (root) reads azkv.json, as conf/apache/envvars says: the children could not.
chmod 600 "$SITE/azkv.json"

USER_LINES=""
[ "$(id -u)" = 0 ] && USER_LINES=$'User www-data\nGroup www-data'
case "$MPM" in
prefork) MPM_CONF="StartServers 4
MinSpareServers 4
MaxSpareServers 8
MaxRequestWorkers 16" ;;
event) MPM_CONF="StartServers 2
ServerLimit 2
ThreadsPerChild 8
MaxRequestWorkers 16" ;;
*) e2e_die "unknown MPM $MPM" ;;
esac
cat >"$SITE/httpd.conf" <<CONF
ServerRoot $SITE
ServerName localhost
DefaultRuntimeDir $SITE/run
PidFile $SITE/run/apache2.pid
ErrorLog $SITE/logs/error.log
LogLevel warn ssl:info
$USER_LINES
LoadModule mpm_${MPM}_module $MODULES/mod_mpm_${MPM}.so
LoadModule authz_core_module $MODULES/mod_authz_core.so
LoadModule dir_module $MODULES/mod_dir.so
LoadModule socache_shmcb_module $MODULES/mod_socache_shmcb.so
LoadModule ssl_module $MODULES/mod_ssl.so
$MPM_CONF
KeepAlive Off
DirectoryIndex index.html
SSLSessionCache shmcb:$SITE/run/ssl_scache(512000)
SSLSessionCacheTimeout 300
<Directory $SITE/www>
    Require all granted
</Directory>
$(site web-rsa "$RSA_PORT")
$(site web-ec "$EC_PORT")
CONF

: >"$SITE/logs/azkv-tls.log"
# Its own session: on shutdown the parent signals its whole process group, which would
# otherwise include this script. setsid and env exec apache2, so $! is the parent's pid.
setsid env -u OPENSSL_CONF -u OPENSSL_MODULES "${APACHE_ENV[@]}" \
    apache2 -f "$SITE/httpd.conf" -DFOREGROUND >"$SITE/logs/stdout.log" 2>&1 &
APACHE_PID=$!
e2e_track_pid "$APACHE_PID"
e2e_wait_sites "$APACHE_PID" "$SITE/logs/error.log"
e2e_matrix "apache $MPM" "$SITE/logs/azkv-tls.log" Resumed
children="$(e2e_signers "$SITE/logs/azkv-tls.log")"
if [ "$children" -ge 1 ] && ! awk '$1 == "tls" {print $4}' "$SITE/logs/azkv-tls.log" | grep -qx "$APACHE_PID"; then
    pass "$children child processes (not the parent) signed after fork"
else
    fail "requests served by: $(awk '$1 == "tls" {print $4}' "$SITE/logs/azkv-tls.log" | sort -u | tr '\n' ' ')"
fi
e2e_no_private_key "$SITE/web-rsa.key" "$SITE/web-ec.key"
grep -E '\[(ssl:)?(emerg|alert|crit)\]' "$SITE/logs/error.log" | head -5 | sed 's/^/    /' >&2 || true
e2e_finish
