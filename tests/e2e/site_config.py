#!/usr/bin/env python3
"""Points conf/azkv.json at azkv-emulator: the example's first vault becomes the emulator's Key
Vault "demo", the second its Managed HSM "hsm"; identities use the emulator's IMDS endpoint (a
per-vault client_id becomes the emulator's user-assigned identity); the CA is the emulator's and
logs go to stderr. Everything else stays as shipped, so the example is what the servers load.

    site_config.py CONF_AZKV_JSON READY_JSON CA_FILE > azkv.json
"""
import json
import sys

conf = json.load(open(sys.argv[1]))
ready = json.load(open(sys.argv[2]))
uai = next(i for i in ready["identities"] if i["name"] == "uai")


def emulated(identity):
    identity = dict(identity, type="imds", endpoint=ready["imds_endpoint"])
    if "client_id" in identity:
        identity["client_id"] = uai["client_id"]
    return identity


for vault, name in zip(conf["vaults"], ["demo", "hsm"]):
    vault["url"] = ready["vaults"][name]["url"]
    vault["label"] = name
    if name == "hsm":
        vault["type"] = "managedhsm"
    if "identity" in vault:
        vault["identity"] = emulated(vault["identity"])
conf["identity"] = emulated(conf["identity"])
conf["http"]["ca_file"] = sys.argv[3]
conf["log"]["target"] = "stderr"
json.dump(conf, sys.stdout, indent=2)
print()
