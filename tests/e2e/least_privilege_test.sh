#!/bin/bash
# Least privilege (issue #10): nginx terminates TLS through the provider when its identity may
# only get and sign one key (no list, no other key); a key it has no rights on is refused at
# load time with an error naming the key and the missing permission.
#   least_privilege_test.sh BUILD_DIR SOURCE_DIR
command -v nginx >/dev/null || { echo "SKIP: nginx is not installed"; exit 77; }
RBAC="$(mktemp /tmp/azkv-e2e-rbac.XXXXXX)"
cat >"$RBAC" <<'JSON'
{"assignments":[
  {"identity":"uai","vault":"*","key":"*","actions":["get","list","create","sign","certificates/get",
   "certificates/list","certificates/create","secrets/get"]},
  {"identity":"system","vault":"demo","key":"web-rsa","actions":["get","sign"]}]}
JSON
E2E_EMULATOR_ARGS="--rbac $RBAC"
source "$(dirname "$0")/e2e-env.sh" "$1" "$2"
rm -f "$RBAC"
source "$E2E_DIR/nginx-lib.sh"
# The certificates are made by an administrator (the user-assigned identity); nginx and the key
# reference use the system identity, which may only get and sign web-rsa.
export E2E_ADMIN_IDENTITY=uai
e2e_cert rsa2048 web-rsa
python3 "$E2E_DIR/vault_cert.py" "$EMU_DIR/ready.json" demo web-other rsa2048 "$SITE/web-other.crt" >"$SITE/other.kid"
# The reference to web-other is written by the administrator's openssl: the system identity
# cannot read that key.
sed 's/"type": "imds"/"type": "imds", "client_id": "'"$(emu_field "[i['client_id'] for i in d['identities'] if i['name']=='uai'][0]")"'"/' \
    "$SITE/azkv.json" >"$SITE/admin.json"
chmod 600 "$SITE/admin.json"
sed "s|^azkv-config = .*|azkv-config = $SITE/admin.json|" "$PROVIDER_CNF" >"$SITE/admin.cnf"
OPENSSL_CONF="$SITE/admin.cnf" openssl pkey -in "azkv:$(cat "$SITE/other.kid")" -out "$SITE/web-other.key" ||
    e2e_die "writing the web-other key reference"

PORT="$(free_port)"
# nginx_conf KEY-NAME: conf/nginx/ with that key's certificate and reference, 2 workers
nginx_conf() {
    : >"$SITE/sites.conf"
    nginx_site "$1" "$PORT" "$SITE/$1.key"
    nginx_main_conf 2
}

nginx_conf web-other
nginx_command
if "${NGINX_CMD[@]}" -t >"$SITE/logs/t.log" 2>&1; then
    fail "nginx accepted a key its identity may not read"
elif grep -q "web-other" "$SITE/logs/t.log" && grep -qiE "permission|forbidden|may not" "$SITE/logs/t.log"; then
    pass "a key without rights is refused, naming the key and the permission"
    grep -m1 -iE "permission|forbidden" "$SITE/logs/t.log" | cut -c1-300 | sed 's/^/    /'
else
    fail "the refusal does not name the key and the permission"
    sed 's/^/    /' "$SITE/logs/t.log" >&2
fi

nginx_conf web-rsa
nginx_start
e2e_wait_port "$PORT" "$NGINX_PID" "$SITE/logs/error.log"
E2E_FULL=20 E2E_RESUMED=5
for version in 1.2 1.3; do
    e2e_handshakes "get+sign only, TLS $version" "$PORT" "$SITE/web-rsa.crt" "$version" "$SITE/logs/access.log" r
done
e2e_no_private_key "$SITE/web-rsa.key"
e2e_finish
