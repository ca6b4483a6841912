import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { X509Certificate, createHash, createPrivateKey, createPublicKey } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SimulatedCloud } from "..";
import { compareSync } from "bcryptjs";

function simulate(type: string, inputs: Record<string, unknown>) {
  return new SimulatedCloud().create({
    type,
    name: "x",
    inputs,
    project: "p",
    region: "us-central1",
    naming: "deterministic",
  });
}

const sshKeygen = ["/usr/bin/ssh-keygen", "/bin/ssh-keygen"].find((p) => existsSync(p));

/** ssh-keygen's view of an OpenSSH private key: the public key it derives, and its SHA-256 fingerprint. */
function viaSshKeygen(privateKeyOpenssh: string): { publicKey: string; fingerprint: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "sim-ssh-"));
  try {
    const file = path.join(dir, "id");
    writeFileSync(file, privateKeyOpenssh, { mode: 0o600 });
    const publicKey = execFileSync(sshKeygen!, ["-y", "-f", file]).toString().trim();
    const fingerprint = execFileSync(sshKeygen!, ["-l", "-E", "sha256", "-f", file]).toString().split(" ")[1];
    return { publicKey, fingerprint };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("sim: tls", () => {
  const cases: [string, Record<string, unknown>, string, string][] = [
    ["RSA 2048", { algorithm: "RSA" }, "RSA PRIVATE KEY", "ssh-rsa"],
    ["RSA 3072", { algorithm: "RSA", rsaBits: 3072 }, "RSA PRIVATE KEY", "ssh-rsa"],
    ["ECDSA P256", { algorithm: "ECDSA", ecdsaCurve: "P256" }, "EC PRIVATE KEY", "ecdsa-sha2-nistp256"],
    ["ECDSA P384", { algorithm: "ECDSA", ecdsaCurve: "P384" }, "EC PRIVATE KEY", "ecdsa-sha2-nistp384"],
    ["ED25519", { algorithm: "ED25519" }, "PRIVATE KEY", "ssh-ed25519"],
  ];
  for (const [label, inputs, pemLabel, sshType] of cases) {
    it(`makes a real ${label} key in every format the tls provider returns`, async function () {
      const { id, outputs } = await simulate("tls:index/privateKey:PrivateKey", inputs);
      const pem = String(outputs.privateKeyPem);
      assert.ok(pem.startsWith(`-----BEGIN ${pemLabel}-----\n`), pem.split("\n")[0]);
      const key = createPrivateKey(pem);
      if (inputs.rsaBits) {
        assert.equal(key.asymmetricKeyDetails?.modulusLength, inputs.rsaBits);
      }
      const publicPem = createPublicKey(key).export({ type: "spki", format: "pem" }).toString();
      assert.equal(outputs.publicKeyPem, publicPem);
      assert.ok(String(outputs.privateKeyPemPkcs8).startsWith("-----BEGIN PRIVATE KEY-----\n"));
      assert.equal(
        createPublicKey(createPrivateKey(String(outputs.privateKeyPemPkcs8))).export({
          type: "spki",
          format: "pem",
        }),
        publicPem,
      );
      assert.equal(id, createHash("sha1").update(publicPem).digest("hex"));
      assert.ok(String(outputs.publicKeyOpenssh).startsWith(`${sshType} AAAA`));
      assert.match(String(outputs.publicKeyFingerprintMd5), /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
      assert.match(String(outputs.publicKeyFingerprintSha256), /^SHA256:[A-Za-z0-9+/]{43}$/);
      assert.ok(String(outputs.privateKeyOpenssh).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----\n"));
      if (!sshKeygen) {
        this.skip();
      }
      const ssh = viaSshKeygen(String(outputs.privateKeyOpenssh));
      assert.equal(ssh.publicKey, String(outputs.publicKeyOpenssh).trim());
      assert.equal(ssh.fingerprint, outputs.publicKeyFingerprintSha256);
    });
  }

  it("leaves the OpenSSH forms empty for P224, which OpenSSH lacks", async () => {
    const { outputs } = await simulate("tls:index/privateKey:PrivateKey", { algorithm: "ECDSA" });
    assert.equal(outputs.ecdsaCurve, "P224");
    assert.equal(
      createPrivateKey(String(outputs.privateKeyPem)).asymmetricKeyDetails?.namedCurve,
      "secp224r1",
    );
    assert.equal(outputs.publicKeyOpenssh, "");
    assert.equal(outputs.privateKeyOpenssh, "");
  });

  for (const [label, keyInputs] of [
    ["RSA", { algorithm: "RSA" }],
    ["ECDSA P256", { algorithm: "ECDSA", ecdsaCurve: "P256" }],
    ["ED25519", { algorithm: "ED25519" }],
  ] as const) {
    it(`signs a self-signed certificate with the given ${label} key, honouring its inputs`, async () => {
      const key = await simulate("tls:index/privateKey:PrivateKey", keyInputs);
      const before = Math.floor(Date.now() / 1000) * 1000;
      const { id, outputs } = await simulate("tls:index/selfSignedCert:SelfSignedCert", {
        privateKeyPem: key.outputs.privateKeyPem,
        subject: { commonName: "dev.foobar.com", organization: "Foobar" },
        dnsNames: ["dev.foobar.com", "www.dev.foobar.com"],
        validityPeriodHours: 720,
        allowedUses: ["key_encipherment", "digital_signature", "server_auth"],
      });
      const cert = new X509Certificate(String(outputs.certPem));
      assert.ok(cert.verify(createPublicKey(String(key.outputs.privateKeyPem))), "signed by the key");
      assert.ok(cert.checkPrivateKey(createPrivateKey(String(key.outputs.privateKeyPem))));
      assert.match(cert.subject, /CN=dev\.foobar\.com/);
      assert.match(cert.subject, /O=Foobar/);
      assert.equal(cert.issuer, cert.subject);
      assert.equal(cert.subjectAltName, "DNS:dev.foobar.com, DNS:www.dev.foobar.com");
      assert.deepEqual(cert.keyUsage, ["1.3.6.1.5.5.7.3.1"]);
      const usage = execFileSync("openssl", ["x509", "-noout", "-ext", "keyUsage"], {
        input: String(outputs.certPem),
      }).toString();
      assert.match(usage, /X509v3 Key Usage: critical\n\s+Digital Signature, Key Encipherment\n/);
      assert.equal(cert.ca, false);
      await assert.rejects(
        simulate("tls:index/selfSignedCert:SelfSignedCert", {
          privateKeyPem: key.outputs.privateKeyPem,
          subject: { commonName: "dev.foobar.com" },
          validityPeriodHours: 720,
          allowedUses: ["digital_signature", "non_repudiation"],
        }),
        {
          message:
            'allowedUses: "non_repudiation" is not a key usage or extended key usage the tls provider knows; use ' +
            "digital_signature, content_commitment, key_encipherment, data_encipherment, key_agreement, " +
            "cert_signing, crl_signing, encipher_only, decipher_only, any_extended, server_auth, client_auth, " +
            "code_signing, email_protection, ipsec_end_system, ipsec_tunnel, ipsec_user, timestamping, " +
            "ocsp_signing, microsoft_server_gated_crypto, netscape_server_gated_crypto, " +
            "microsoft_commercial_code_signing, microsoft_kernel_code_signing.",
        },
      );
      const start = Date.parse(String(outputs.validityStartTime));
      const end = Date.parse(String(outputs.validityEndTime));
      assert.ok(start >= before && start <= Date.now());
      assert.equal(end - start, 720 * 3_600_000);
      assert.equal(new Date(cert.validTo).getTime(), end);
      assert.match(String(outputs.validityEndTime), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.equal(outputs.readyForRenewal, false);
      assert.equal(BigInt(id), BigInt(`0x${cert.serialNumber}`));
      assert.equal(outputs.privateKeyPem, key.outputs.privateKeyPem, "the key input stays as given");
    });
  }
});

describe("sim: random", () => {
  it("makes a password of the requested length and classes, with a bcrypt hash of it", async () => {
    const { id, outputs } = await simulate("random:index/randomPassword:RandomPassword", {
      length: 32,
      overrideSpecial: "-_",
      minUpper: 2,
      minLower: 2,
      minNumeric: 2,
      minSpecial: 2,
    });
    const result = String(outputs.result);
    assert.equal(id, "none");
    assert.equal(result.length, 32);
    assert.match(result, /^[A-Za-z0-9_-]+$/);
    assert.ok((result.match(/[A-Z]/g) ?? []).length >= 2);
    assert.ok((result.match(/[a-z]/g) ?? []).length >= 2);
    assert.ok((result.match(/[0-9]/g) ?? []).length >= 2);
    assert.ok((result.match(/[-_]/g) ?? []).length >= 2);
    assert.match(String(outputs.bcryptHash), /^\$2a\$10\$[./A-Za-z0-9]{53}$/);
    assert.ok(compareSync(result, String(outputs.bcryptHash)));
  });

  it("leaves out the classes that are turned off", async () => {
    const { outputs } = await simulate("random:index/randomPassword:RandomPassword", {
      length: 40,
      special: false,
      upper: false,
    });
    assert.match(String(outputs.result), /^[a-z0-9]{40}$/);
  });

  it("draws a new password each time", async () => {
    const inputs = { length: 20 };
    const a = await simulate("random:index/randomPassword:RandomPassword", inputs);
    const b = await simulate("random:index/randomPassword:RandomPassword", inputs);
    assert.notEqual(a.outputs.result, b.outputs.result);
  });

  it("rejects minimums longer than the password, naming the numbers", async () => {
    await assert.rejects(
      simulate("random:index/randomPassword:RandomPassword", { length: 4, minUpper: 3, minNumeric: 3 }),
      { message: "length 4 is shorter than the minimum counts it asks for (6)." },
    );
  });
});

describe("sim: a certificate's extended key usages", () => {
  it("puts every usage the tls provider names into the certificate, by its OID", async () => {
    const key = await new SimulatedCloud().create({
      type: "tls:index/privateKey:PrivateKey",
      name: "k",
      inputs: { algorithm: "ECDSA", ecdsaCurve: "P256" },
      project: "p",
      region: "us-central1",
      naming: "deterministic",
    });
    const usages: Record<string, string> = {
      any_extended: "2.5.29.37.0",
      server_auth: "1.3.6.1.5.5.7.3.1",
      client_auth: "1.3.6.1.5.5.7.3.2",
      code_signing: "1.3.6.1.5.5.7.3.3",
      email_protection: "1.3.6.1.5.5.7.3.4",
      ipsec_end_system: "1.3.6.1.5.5.7.3.5",
      ipsec_tunnel: "1.3.6.1.5.5.7.3.6",
      ipsec_user: "1.3.6.1.5.5.7.3.7",
      timestamping: "1.3.6.1.5.5.7.3.8",
      ocsp_signing: "1.3.6.1.5.5.7.3.9",
      microsoft_server_gated_crypto: "1.3.6.1.4.1.311.10.3.3",
      netscape_server_gated_crypto: "2.16.840.1.113730.4.1",
      microsoft_commercial_code_signing: "1.3.6.1.4.1.311.2.1.22",
      microsoft_kernel_code_signing: "1.3.6.1.4.1.311.61.1.1",
    };
    const { outputs } = await new SimulatedCloud().create({
      type: "tls:index/selfSignedCert:SelfSignedCert",
      name: "c",
      inputs: {
        privateKeyPem: key.outputs.privateKeyPem,
        subject: { commonName: "x" },
        validityPeriodHours: 1,
        allowedUses: Object.keys(usages),
      },
      project: "p",
      region: "us-central1",
      naming: "deterministic",
    });
    assert.deepEqual(new X509Certificate(String(outputs.certPem)).keyUsage, Object.values(usages));
  });
});

describe("sim: bcrypt", () => {
  // The provider's hashes are $2a$ (Go's bcrypt): the library must read them as OpenBSD does.
  it("matches the OpenBSD $2a$ test vectors", () => {
    assert.ok(compareSync("U*U", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"));
    assert.ok(compareSync("U*U*", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK"));
    assert.ok(compareSync("", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy"));
    assert.ok(!compareSync("U*U", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK"));
  });
});
