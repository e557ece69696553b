#!/usr/bin/env python3
"""Creates (or rotates) a Key Vault certificate for CN=localhost in azkv-emulator and writes its
leaf certificate as PEM. The certificate's key is an HSM key created by the vault; its private
part never leaves the emulator. Prints the kid of the certificate's key version.

    vault_cert.py READY_JSON VAULT NAME rsa2048|p256 OUT.crt

Run it again with the same NAME to rotate: a new certificate version with a new key version.
E2E_ADMIN_IDENTITY names the emulator identity to act as (default: the system identity).
"""
import base64
import json
import os
import ssl
import sys
import time
import urllib.parse
import urllib.request

API = "api-version=7.5"
KEY_PROPS = {
    "rsa2048": {"kty": "RSA-HSM", "key_size": 2048, "exportable": False, "reuse_key": False},
    "p256": {"kty": "EC-HSM", "crv": "P-256", "exportable": False, "reuse_key": False},
}


def token(ready, vault):
    resource = urllib.parse.quote(ready["vaults"][vault]["resource"], safe="")
    url = (f"{ready['imds_endpoint']}/metadata/identity/oauth2/token"
           f"?api-version=2018-02-01&resource={resource}")
    # The administrator's identity, when the servers' identity may not create certificates.
    admin = os.environ.get("E2E_ADMIN_IDENTITY")
    if admin:
        client_id = next(i["client_id"] for i in ready["identities"] if i["name"] == admin)
        url += f"&client_id={client_id}"
    request = urllib.request.Request(url, headers={"Metadata": "true"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.load(answer)["access_token"]


def call(ctx, bearer, method, url, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={
        "Authorization": f"Bearer {bearer}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, context=ctx, timeout=60) as answer:
        return json.load(answer)


def main():
    ready_file, vault, name, spec, out = sys.argv[1:6]
    ready = json.load(open(ready_file))
    ctx = ssl.create_default_context(cafile=ready["ca_file"])
    bearer = token(ready, vault)
    base = f"{ready['vaults'][vault]['url']}/certificates/{name}"
    policy = {
        "key_props": KEY_PROPS[spec],
        "x509_props": {"subject": "CN=localhost", "sans": {"dns_names": ["localhost"]},
                       "validity_months": 12},
        "issuer": {"name": "Self"},
    }
    call(ctx, bearer, "POST", f"{base}/create?{API}", {"policy": policy})
    for _ in range(100):
        if call(ctx, bearer, "GET", f"{base}/pending?{API}")["status"] == "completed":
            break
        time.sleep(0.1)
    bundle = call(ctx, bearer, "GET", f"{base}?{API}")
    with open(out, "w") as pem:
        pem.write(ssl.DER_cert_to_PEM_cert(base64.b64decode(bundle["cer"])))
    print(bundle["kid"])


if __name__ == "__main__":
    main()
