#!/usr/bin/env python3
"""A TLS 1.2 client that probes RSA key exchange for a padding oracle (Bleichenbacher).

It sends ClientHello (TLS_RSA_WITH_AES_128_GCM_SHA256), waits for ServerHelloDone, then sends a
ClientKeyExchange with a chosen ciphertext, ChangeCipherSpec and a Finished record the server
cannot decrypt (the client does not know the premaster it sent, as an attacker replaying or
forging a ciphertext would not). Whatever the ciphertext held, a server with implicit rejection
answers all of them alike: it derives keys from the real or a random premaster, fails to decrypt
Finished and sends the same bad_record_mac alert.

    rsa_kx_oracle.py AZKV_PUB.pem AZKV_PORT REFERENCE_PUB.pem REFERENCE_PORT [ROUNDS]

AZKV_PORT serves the vault key through azkv; REFERENCE_PORT serves a local key file through
OpenSSL's default provider, whose answers are the reference. Each ciphertext case is built for
each server's own public key and sent ROUNDS times; every answer must be the same bytes as the
reference server's answer to the same case, and every ciphertext that is not publicly malformed
must get the same answer as the good one. Prints one PASS/FAIL line per check, the number of
remote decrypts the vault should have seen and a timing table; exits 1 on any FAIL.
Only the standard library and the openssl CLI (without azkv, to read the public keys) are used.
"""

import os
import socket
import struct
import subprocess
import sys
import time

TLS12 = b"\x03\x03"
RSA_AES128_GCM_SHA256 = b"\x00\x9c"
ALERTS = {20: "bad_record_mac", 40: "handshake_failure", 50: "decode_error", 51: "decrypt_error",
          80: "internal_error"}


def plain_openssl(*args, data=None):
    env = dict(os.environ, OPENSSL_CONF="/dev/null", OPENSSL_MODULES="/nonexistent")
    return subprocess.run(["openssl", *args], input=data, env=env, check=True,
                          capture_output=True).stdout


class PublicKey:
    """n and e of the server's RSA key; raw RSA is one pow(), so each padded block is built here."""

    def __init__(self, path):
        self.n = int(plain_openssl("rsa", "-pubin", "-in", path, "-noout", "-modulus")
                     .decode().strip().split("=")[1], 16)
        text = plain_openssl("rsa", "-pubin", "-in", path, "-noout", "-text").decode()
        self.e = int(text.split("Exponent: ")[1].split()[0])
        self.k = (self.n.bit_length() + 7) // 8

    def raw_encrypt(self, block):
        return pow(int.from_bytes(block, "big"), self.e, self.n).to_bytes(self.k, "big")


def nonzero(n):
    out = b""
    while len(out) < n:
        out += bytes(b for b in os.urandom(n) if b != 0)
    return out[:n]


def pkcs1_block(k, message, first=b"\x00\x02", separator=b"\x00", pad_len=None):
    pad_len = k - len(first) - len(separator) - len(message) if pad_len is None else pad_len
    block = first + nonzero(pad_len) + separator + message
    return block + nonzero(k - len(block)) if len(block) < k else block[:k]


def cases(key):
    k = key.k
    premaster = TLS12 + os.urandom(46)
    blocks = {
        "good premaster": pkcs1_block(k, premaster),
        "wrong version in premaster (0x0301)": pkcs1_block(k, b"\x03\x01" + os.urandom(46)),
        "premaster of 47 bytes": pkcs1_block(k, TLS12 + os.urandom(45)),
        "premaster of 49 bytes": pkcs1_block(k, TLS12 + os.urandom(47)),
        "empty message": pkcs1_block(k, b""),
        "block type 1 (signature padding)": pkcs1_block(k, premaster, first=b"\x00\x01"),
        "first byte not zero": pkcs1_block(k, premaster, first=b"\x01\x02"),
        "no zero separator": b"\x00\x02" + nonzero(k - 2),
        "padding shorter than 8 bytes": pkcs1_block(k, premaster, pad_len=4),
        "random integer below the modulus": b"\x00" + os.urandom(k - 1),
    }
    out = {name: key.raw_encrypt(block) for name, block in blocks.items()}
    # A good ciphertext whose integer is short enough to start with a zero byte, sent without it
    # (as some clients do): OpenSSL decrypts it as usual.
    while True:
        short = key.raw_encrypt(pkcs1_block(k, TLS12 + os.urandom(46)))
        if short[0] == 0:
            out["good, leading zero byte of the ciphertext dropped"] = short[1:]
            break
    # Publicly malformed ciphertexts: OpenSSL refuses these outright (decrypt_error), which
    # leaks nothing (the sender knows what it sent); azkv must do the same.
    out["ciphertext one byte longer than the modulus"] = b"\x00" + out["good premaster"]
    out["ciphertext not below the modulus"] = b"\xff" * k
    return out


def record(content_type, body):
    return bytes([content_type]) + TLS12 + struct.pack(">H", len(body)) + body


def handshake_msg(msg_type, body):
    return bytes([msg_type]) + struct.pack(">I", len(body))[1:] + body


def client_hello():
    sigalgs = b"\x04\x01\x05\x01\x06\x01\x08\x04\x08\x05\x08\x06"
    ext = (b"\x00\x0d" + struct.pack(">HH", len(sigalgs) + 2, len(sigalgs)) + sigalgs +
           b"\xff\x01\x00\x01\x00")  # signature_algorithms, renegotiation_info
    body = (TLS12 + os.urandom(32) + b"\x00" + struct.pack(">H", 2) + RSA_AES128_GCM_SHA256 +
            b"\x01\x00" + struct.pack(">H", len(ext)) + ext)
    return record(22, handshake_msg(1, body))


def read_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise EOFError("connection closed")
        data += chunk
    return data


def wait_server_hello_done(sock):
    pending = b""
    while True:
        header = read_exact(sock, 5)
        body = read_exact(sock, struct.unpack(">H", header[3:5])[0])
        if header[0] == 21:
            raise RuntimeError("alert before ServerHelloDone: %r" % body)
        if header[0] != 22:
            continue
        pending += body
        while len(pending) >= 4:
            length = struct.unpack(">I", b"\x00" + pending[1:4])[0]
            if len(pending) < 4 + length:
                break
            if pending[0] == 14:  # ServerHelloDone
                return
            pending = pending[4 + length:]


def probe(port, ciphertext):
    """The bytes the server sends after our ClientKeyExchange flight, and how long it took."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(client_hello())
        wait_server_hello_done(sock)
        cke = record(22, handshake_msg(16, struct.pack(">H", len(ciphertext)) + ciphertext))
        flight = cke + record(20, b"\x01") + record(22, os.urandom(40))
        start = time.monotonic()
        sock.sendall(flight)
        answer = b""
        try:
            while True:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                answer += chunk
        except (ConnectionResetError, socket.timeout):
            pass
        return answer, time.monotonic() - start


def describe(answer):
    if len(answer) == 7 and answer[0] == 21:
        return "alert %s" % ALERTS.get(answer[6], answer[6])
    return "%d bytes %s" % (len(answer), answer[:16].hex())


def publicly_malformed(name):
    return name.startswith("ciphertext one byte longer") or name.startswith("ciphertext not below")


def main():
    azkv_pub, azkv_port, ref_pub, ref_port = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(
        sys.argv[4])
    rounds = int(sys.argv[5]) if len(sys.argv) > 5 else 3
    failures = 0

    def check(ok, what):
        nonlocal failures
        print("%s: %s" % ("PASS" if ok else "FAIL", what))
        failures += 0 if ok else 1

    servers = {"azkv": (azkv_port, cases(PublicKey(azkv_pub))),
               "reference": (ref_port, cases(PublicKey(ref_pub)))}
    names = list(servers["azkv"][1])
    answers, timings = {}, {}
    for name in names:
        for who, (port, built) in servers.items():
            seen, times = set(), []
            for _ in range(rounds):
                answer, took = probe(port, built[name])
                seen.add(answer)
                times.append(took)
            answers[(who, name)] = seen
            timings[(who, name)] = sorted(times)[len(times) // 2]
    good = answers[("azkv", "good premaster")]
    check(len(good) == 1 and describe(next(iter(good))) == "alert bad_record_mac",
          "a good ciphertext with a Finished the sender cannot compute gets bad_record_mac "
          "(%s)" % ", ".join(describe(a) for a in good))
    for name in names:
        mine, ref = answers[("azkv", name)], answers[("reference", name)]
        check(mine == ref and len(mine) == 1,
              "%s: azkv answers exactly as OpenSSL's own RSA (%s; OpenSSL: %s)" %
              (name, ", ".join(sorted(describe(a) for a in mine)),
               ", ".join(sorted(describe(a) for a in ref))))
        if not publicly_malformed(name):
            check(mine == good, "%s: indistinguishable from the good ciphertext" % name)
    print("remote decrypts expected: %d" %
          (rounds * sum(1 for name in names if not publicly_malformed(name))))
    print("median time from the ClientKeyExchange flight to the server's answer (ms):")
    for name in names:
        print("  %-50s azkv %7.1f   OpenSSL local key %7.1f" %
              (name, 1000 * timings[("azkv", name)], 1000 * timings[("reference", name)]))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
