#!/bin/bash
# OpenSSH with the module: `ssh-keygen -D` prints exactly the vault's public keys, and `ssh -I`
# logs in to a throwaway sshd on 127.0.0.1 once with only the RSA key authorized and once with
# only the EC key authorized, each login signing in the vault.
# Usage: openssh_test.sh EMULATOR MODULE   (sshd must run as root)
source "$(dirname "$0")/p11_test_lib.sh"
p11_setup "$1" "$2"
[ "$(id -u)" = 0 ] || { echo "SKIP: sshd needs root"; exit 77; }

p11_key demo rsakey '{"kty":"RSA-HSM","key_size":2048}' >/dev/null
p11_key demo eckey '{"kty":"EC-HSM","crv":"P-256"}' >/dev/null

ssh-keygen -D "$MODULE" >keys.pub || fail "ssh-keygen -D"
[ "$(wc -l <keys.pub)" = 2 ] || fail "ssh-keygen -D should print 2 keys, printed $(wc -l <keys.pub)"
grep "^ssh-rsa .* rsakey$" keys.pub >rsa.pub || fail "ssh-keygen -D lacks the RSA key"
grep "^ecdsa-sha2-nistp256 .* eckey$" keys.pub >ec.pub || fail "ssh-keygen -D lacks the EC key"
# The printed keys are the vault's: compare with the JWK through openssl.
ssh-keygen -e -m PKCS8 -f rsa.pub >rsa.pem && ssh-keygen -e -m PKCS8 -f ec.pub >ec.pem
[ "$(p11_pem_public_hex rsa.pem)" = "$(p11_jwk_public_hex "$(p11_jwk demo rsakey)")" ] ||
    fail "ssh-keygen -D printed another RSA key"
[ "$(p11_pem_public_hex ec.pem 65)" = "$(p11_jwk_public_hex "$(p11_jwk demo eckey)")" ] ||
    fail "ssh-keygen -D printed another EC key"

mkdir -p /run/sshd
ssh-keygen -q -t ed25519 -N "" -f host_key
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >sshd_config <<CFG
ListenAddress 127.0.0.1
Port $PORT
HostKey $PWD/host_key
PidFile $PWD/sshd.pid
AuthorizedKeysFile $PWD/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
CFG
/usr/sbin/sshd -D -f "$PWD/sshd_config" -e 2>sshd.log &
SSHD_PID=$!
trap 'kill "$SSHD_PID" 2>/dev/null; wait "$SSHD_PID" 2>/dev/null; emu_stop' EXIT
for _ in $(seq 1 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
    sleep 0.1
done

login_with() {  # PUBKEY-FILE
    cp "$1" authorized_keys
    p11_reset_stats
    ssh -F /dev/null -I "$MODULE" -p "$PORT" -o BatchMode=yes -o StrictHostKeyChecking=no \
        -o UserKnownHostsFile="$PWD/known_hosts" -o PasswordAuthentication=no \
        "$(id -un)@127.0.0.1" 'echo logged-in-as-$(id -un)' >login.txt 2>ssh.log ||
        { cat ssh.log sshd.log >&2; fail "ssh -I with $1 authorized"; }
    grep -qx "logged-in-as-$(id -un)" login.txt || fail "no shell output with $1"
    [ "$(p11_op_count sign)" -ge 1 ] || fail "the login with $1 made no remote sign"
}
login_with rsa.pub
login_with ec.pub
grep -q "Accepted publickey for .* RSA " sshd.log || fail "sshd did not accept the RSA key"
grep -q "Accepted publickey for .* ECDSA " sshd.log || fail "sshd did not accept the EC key"

# Neither key authorized: the login must fail.
: >authorized_keys
ssh -F /dev/null -I "$MODULE" -p "$PORT" -o BatchMode=yes -o StrictHostKeyChecking=no \
    -o UserKnownHostsFile="$PWD/known_hosts" "$(id -un)@127.0.0.1" true 2>/dev/null &&
    fail "ssh logged in without an authorized key"
echo "OK: ssh-keygen -D prints the vault keys; ssh -I logs in with RSA and with EC"
