// The official Azure SDK for JavaScript against azkv-emulator, unmodified. The only client option
// that differs from a real vault is disableChallengeResourceVerification: the SDK requires the
// vault host to be a subdomain of the challenge resource, which "localhost" cannot be.
// Every signature and ciphertext is checked with node:crypto from the key's JWK, never only with
// the SDK or the emulator.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import https from "node:https";
import { before, describe, test } from "node:test";

import { CertificateClient } from "@azure/keyvault-certificates";
import { CryptographyClient, KeyClient } from "@azure/keyvault-keys";
import { ManagedIdentityCredential } from "@azure/identity";

const ready = JSON.parse(fs.readFileSync(process.env.AZKV_EMU_READY, "utf8"));
const vaultUrl = ready.vaults.demo.url;
const options = { disableChallengeResourceVerification: true };
const run = `${process.pid}`;

let credential, keys, certs;
const made = {}; // label -> KeyVaultKey

function stats() {
  return new Promise((resolve, reject) => {
    https
      .get(`${vaultUrl}/_emulator/stats`, (res) => {
        let body = "";
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve(JSON.parse(body)));
      })
      .on("error", reject);
  });
}

const b64u = (bytes) => Buffer.from(bytes).toString("base64url");

// node:crypto public key from the SDK's JsonWebKey (Uint8Array fields).
function publicKeyOf(key) {
  const jwk = key.key;
  if (jwk.kty.startsWith("RSA")) {
    return crypto.createPublicKey({ key: { kty: "RSA", n: b64u(jwk.n), e: b64u(jwk.e) }, format: "jwk" });
  }
  const crv = jwk.crv === "P-256K" ? "secp256k1" : jwk.crv;
  return crypto.createPublicKey({ key: { kty: "EC", crv, x: b64u(jwk.x), y: b64u(jwk.y) }, format: "jwk" });
}

before(() => {
  assert.ok(process.env.IDENTITY_ENDPOINT && process.env.IDENTITY_HEADER, "App Service identity env");
  credential = new ManagedIdentityCredential();
  keys = new KeyClient(vaultUrl, credential, options);
  certs = new CertificateClient(vaultUrl, credential, options);
});

describe("keys", () => {
  for (const size of [2048, 3072, 4096]) {
    test(`create RSA-HSM ${size}`, async () => {
      const key = await keys.createRsaKey(`rsa${size}-${run}`, { hsm: true, keySize: size });
      assert.equal(key.keyType, "RSA-HSM");
      assert.equal(key.key.n.length, size / 8);
      assert.match(key.id, new RegExp(`^${vaultUrl}/keys/rsa${size}-${run}/[0-9a-f]{32}$`));
      assert.equal(publicKeyOf(key).asymmetricKeyDetails.modulusLength, size);
      made[`rsa${size}`] = key;
    });
  }

  const curves = { "P-256": 32, "P-256K": 32, "P-384": 48, "P-521": 66 };
  for (const [curve, len] of Object.entries(curves)) {
    test(`create EC-HSM ${curve}`, async () => {
      const key = await keys.createEcKey(`ec-${curve.toLowerCase()}-${run}`, { hsm: true, curve });
      assert.equal(key.keyType, "EC-HSM");
      assert.equal(key.key.crv, curve);
      assert.equal(key.key.x.length, len);
      assert.equal(key.key.y.length, len);
      made[curve] = key;
    });
  }

  test("getKey returns the created version", async () => {
    const key = await keys.getKey(made["P-256"].name);
    assert.equal(key.id, made["P-256"].id);
    assert.deepEqual(Buffer.from(key.key.x), Buffer.from(made["P-256"].key.x));
  });

  test("paging through more keys than one page", async () => {
    const names = new Set();
    for (let i = 0; i < 27; i++) {
      const k = await keys.createEcKey(`page-${run}-${i}`, { curve: "P-256" });
      names.add(k.name);
    }
    const before = await stats();
    // Default page size (25): the SDK must follow nextLink on its own.
    const all = new Set();
    for await (const p of keys.listPropertiesOfKeys()) all.add(p.name);
    for (const n of names) assert.ok(all.has(n), `key ${n} missing from the listing`);
    assert.ok(all.size >= 34, `expected >= 34 keys, saw ${all.size}`);
    // Explicit small pages.
    let pages = 0;
    const paged = new Set();
    for await (const page of keys.listPropertiesOfKeys().byPage({ maxPageSize: 7 })) {
      assert.ok(page.length <= 7);
      page.forEach((p) => paged.add(p.name));
      pages++;
    }
    assert.deepEqual([...paged].sort(), [...all].sort());
    assert.ok(pages >= 5, `expected >= 5 pages, saw ${pages}`);
    const after = await stats();
    assert.ok(after.operations.list - (before.operations.list ?? 0) >= 2 + pages);
  });
});

describe("sign and verify", () => {
  const cases = [
    ["RS256", "rsa2048", "sha256"], ["RS384", "rsa3072", "sha384"], ["RS512", "rsa4096", "sha512"],
    ["PS256", "rsa2048", "sha256"], ["PS384", "rsa3072", "sha384"], ["PS512", "rsa4096", "sha512"],
    ["ES256", "P-256", "sha256"], ["ES256K", "P-256K", "sha256"], ["ES384", "P-384", "sha384"],
    ["ES512", "P-521", "sha512"],
  ];
  for (const [alg, label, hash] of cases) {
    test(`${alg} with ${label}`, async () => {
      const key = made[label];
      const client = new CryptographyClient(key.id, credential, options);
      const data = Buffer.from(`compat ${alg} ${run}`);
      const digest = crypto.createHash(hash).update(data).digest();
      const signed = await client.sign(alg, digest);
      assert.equal(signed.keyID, key.id);
      const sig = Buffer.from(signed.result);
      const pub = publicKeyOf(key);
      const verifyOpts = alg.startsWith("ES")
        ? { key: pub, dsaEncoding: "ieee-p1363" }
        : alg.startsWith("PS")
          ? { key: pub, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: digest.length }
          : { key: pub, padding: crypto.constants.RSA_PKCS1_PADDING };
      assert.ok(crypto.verify(hash, data, verifyOpts, sig), `node:crypto rejects the ${alg} signature`);
      // The SDK's own verify and signData/verifyData paths agree.
      assert.equal((await client.verify(alg, digest, sig)).result, true);
      const tampered = Buffer.from(sig);
      tampered[tampered.length - 1] ^= 1;
      assert.equal((await client.verify(alg, digest, tampered)).result, false);
      const sd = await client.signData(alg, data);
      assert.ok(crypto.verify(hash, data, verifyOpts, Buffer.from(sd.result)));
      // verifyData runs locally in the SDK for RSA keys; its RSA provider verifies with
      // createVerify's PKCS#1 v1.5 default even for PS*, so it can never accept a PSS
      // signature (an SDK limitation, independent of the vault). Remote verify is checked above.
      if (!alg.startsWith("PS")) {
        assert.equal((await client.verifyData(alg, data, Buffer.from(sd.result))).result, true);
      }
    });
  }
});

describe("encrypt, decrypt, wrap and unwrap", () => {
  const algs = {
    RSA1_5: { padding: crypto.constants.RSA_PKCS1_PADDING },
    "RSA-OAEP": { padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha1" },
    "RSA-OAEP-256": { padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" },
  };
  for (const label of ["rsa2048", "rsa3072", "rsa4096"]) {
    for (const [alg, nodeOpts] of Object.entries(algs)) {
      test(`${alg} with ${label}`, async () => {
        const key = made[label];
        const client = new CryptographyClient(key.id, credential, options);
        const plain = crypto.randomBytes(32);
        // SDK round trip (encrypt may run locally in the SDK; decrypt always runs in the vault).
        const enc = await client.encrypt({ algorithm: alg, plaintext: plain });
        assert.equal(enc.result.length, key.key.n.length);
        const dec = await client.decrypt({ algorithm: alg, ciphertext: enc.result });
        assert.deepEqual(Buffer.from(dec.result), plain);
        // Ciphertext made by node:crypto from the JWK, opened by the vault.
        const ext = crypto.publicEncrypt({ key: publicKeyOf(key), ...nodeOpts }, plain);
        assert.deepEqual(Buffer.from((await client.decrypt({ algorithm: alg, ciphertext: ext })).result), plain);
        // wrap/unwrap, again with an independently wrapped key.
        const cek = crypto.randomBytes(32);
        const wrapped = await client.wrapKey(alg, cek);
        assert.deepEqual(Buffer.from((await client.unwrapKey(alg, wrapped.result)).result), cek);
        const extWrapped = crypto.publicEncrypt({ key: publicKeyOf(key), ...nodeOpts }, cek);
        assert.deepEqual(Buffer.from((await client.unwrapKey(alg, extWrapped)).result), cek);
      });
    }
  }
});

describe("certificates", () => {
  const kinds = [
    ["RSA-HSM", { keyType: "RSA-HSM", keySize: 2048, exportable: false }],
    ["EC-HSM", { keyType: "EC-HSM", keyCurveName: "P-256", exportable: false }],
    ["RSA", { keyType: "RSA", keySize: 2048 }],
  ];
  for (const [label, keyPolicy] of kinds) {
    test(`self-signed ${label} certificate: create, poll, get`, async () => {
      const name = `cert-${label.toLowerCase()}-${run}`;
      const poller = await certs.beginCreateCertificate(
        name,
        {
          issuerName: "Self",
          subject: `CN=${name}.example, O=azkv compat`,
          subjectAlternativeNames: { dnsNames: [`${name}.example`] },
          contentType: "application/x-pem-file",
          validityInMonths: 3,
          ...keyPolicy,
        },
        { intervalInMs: 50 },
      );
      const created = await poller.pollUntilDone();
      assert.equal((await poller.getResult()).name, name);
      assert.equal(poller.getOperationState().isCompleted, true);
      // The operation poller reads GET /certificates/{name}/pending ("completed" = done).
      const opPoller = await certs.getCertificateOperation(name);
      assert.equal(opPoller.isDone(), true);
      const cert = await certs.getCertificate(name);
      assert.equal(cert.name, name);
      assert.equal(cert.id, created.id);
      assert.equal(cert.policy.issuerName, "Self");
      const x509 = new crypto.X509Certificate(Buffer.from(cert.cer));
      assert.match(x509.subject, new RegExp(`CN=${name}.example`));
      assert.ok(x509.verify(x509.publicKey), "self-signature does not verify");
      assert.ok(x509.checkHost(`${name}.example`));
      assert.deepEqual(
        Buffer.from(cert.properties.x509Thumbprint),
        crypto.createHash("sha1").update(Buffer.from(cert.cer)).digest(),
      );
      // The certificate's key is the key with the same name and version.
      const key = await keys.getKey(name, cert.properties.version);
      assert.equal(key.keyType, label);
      assert.ok(publicKeyOf(key).equals(x509.publicKey), "certificate and key differ");
      // ... and signing through it verifies with the certificate.
      const alg = label.startsWith("EC") ? "ES256" : "PS256";
      const data = Buffer.from("tls transcript");
      const signed = await new CryptographyClient(key.id, credential, options).signData(alg, data);
      const vopts = label.startsWith("EC")
        ? { key: x509.publicKey, dsaEncoding: "ieee-p1363" }
        : { key: x509.publicKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
      assert.ok(crypto.verify("sha256", data, vopts, Buffer.from(signed.result)));
      const versions = [];
      for await (const v of certs.listPropertiesOfCertificateVersions(name)) versions.push(v.version);
      assert.deepEqual(versions, [cert.properties.version]);
      const byVersion = await certs.getCertificateVersion(name, cert.properties.version);
      assert.deepEqual(Buffer.from(byVersion.cer), Buffer.from(cert.cer));
    });
  }

  test("listPropertiesOfCertificates sees them", async () => {
    const names = new Set();
    for await (const c of certs.listPropertiesOfCertificates()) names.add(c.name);
    for (const [label] of kinds) assert.ok(names.has(`cert-${label.toLowerCase()}-${run}`));
  });
});
