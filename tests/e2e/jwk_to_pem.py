#!/usr/bin/env python3
"""Reads a Key Vault key bundle (JSON, as GET /keys/NAME/VERSION returns it) on stdin and writes
its public key as a PEM SubjectPublicKeyInfo: RSA, or EC on P-256. Plain DER, no crypto library
(a fresh CI machine has none), so the tests check signatures against the key as the vault
publishes it, without going through azkv.

    curl ... "$KID?api-version=7.5" | jwk_to_pem.py > key.pub.pem
"""
import base64
import json
import sys
import textwrap

RSA_ALGORITHM = bytes.fromhex("06092a864886f70d0101010500")  # rsaEncryption, NULL
P256_ALGORITHM = bytes.fromhex("06072a8648ce3d020106082a8648ce3d030107")  # ecPublicKey, P-256


def tlv(tag, body):
    n = len(body)
    if n < 128:
        return bytes([tag, n]) + body
    size = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(size)]) + size + body


def integer(value):
    return tlv(0x02, b"\0" + value if value[0] & 0x80 else value)


def main():
    jwk = json.load(sys.stdin)["key"]

    def field(name):
        return base64.urlsafe_b64decode(jwk[name] + "=" * (-len(jwk[name]) % 4))

    if jwk["kty"] in ("RSA", "RSA-HSM"):
        algorithm = RSA_ALGORITHM
        key = tlv(0x30, integer(field("n")) + integer(field("e")))
    elif jwk["kty"] in ("EC", "EC-HSM") and jwk["crv"] == "P-256":
        algorithm = P256_ALGORITHM
        key = b"\x04" + field("x") + field("y")
    else:
        sys.exit(f"jwk_to_pem.py: unsupported key {jwk['kty']} {jwk.get('crv', '')}")
    der = tlv(0x30, tlv(0x30, algorithm) + tlv(0x03, b"\0" + key))
    body = "\n".join(textwrap.wrap(base64.b64encode(der).decode(), 64))
    print(f"-----BEGIN PUBLIC KEY-----\n{body}\n-----END PUBLIC KEY-----")


if __name__ == "__main__":
    main()
