/**
 * The tls provider's resources with real cryptography: keys from node's crypto, certificates built with
 * @peculiar/x509 on node's WebCrypto and signed by the given key. Nothing here is ever logged.
 */
import {
  KeyObject,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  randomBytes,
  webcrypto,
} from "node:crypto";
import { promisify } from "node:util";
import { addHours, rfc3339 } from "./time";
import { Props, bool, isPlainObject, list, num, str } from "./values";

const generateKeyPairAsync = promisify(generateKeyPair);

/** The tls provider's ECDSA curve names → OpenSSL's names, and the OpenSSH names where OpenSSH has one. */
const CURVES: Record<string, { openssl: string; ssh?: string; webcrypto?: string; hash?: string }> = {
  P224: { openssl: "P-224" },
  P256: { openssl: "P-256", ssh: "nistp256", webcrypto: "P-256", hash: "SHA-256" },
  P384: { openssl: "P-384", ssh: "nistp384", webcrypto: "P-384", hash: "SHA-384" },
  P521: { openssl: "P-521", ssh: "nistp521", webcrypto: "P-521", hash: "SHA-512" },
};

function sshString(data: Buffer | string): Buffer {
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** An SSH `mpint` from an unsigned big-endian magnitude (base64url, as JWK holds it). */
function sshMpint(base64url: string): Buffer {
  let bytes = Buffer.from(base64url, "base64url");
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) {
    start++;
  }
  bytes = bytes.subarray(start);
  if (bytes.length > 0 && bytes[0] & 0x80) {
    bytes = Buffer.concat([Buffer.from([0]), bytes]);
  }
  return sshString(bytes);
}

interface SshKey {
  /** The public key blob (`ssh-rsa …` wire format). */
  readonly publicBlob: Buffer;
  readonly keyType: string;
  /** The key-specific fields of the private section of `openssh-key-v1`. */
  readonly privateFields: Buffer;
}

function sshKey(privateKey: KeyObject, curve: string | undefined): SshKey | undefined {
  const sshCurve = curve ? CURVES[curve]?.ssh : undefined;
  if (privateKey.asymmetricKeyType === "ec" && !sshCurve) {
    return undefined; // OpenSSH has no P-224: the tls provider leaves the OpenSSH outputs empty.
  }
  const jwk = privateKey.export({ format: "jwk" });
  if (privateKey.asymmetricKeyType === "rsa") {
    const keyType = "ssh-rsa";
    return {
      keyType,
      publicBlob: Buffer.concat([sshString(keyType), sshMpint(jwk.e!), sshMpint(jwk.n!)]),
      privateFields: Buffer.concat([
        sshMpint(jwk.n!),
        sshMpint(jwk.e!),
        sshMpint(jwk.d!),
        sshMpint(jwk.qi!),
        sshMpint(jwk.p!),
        sshMpint(jwk.q!),
      ]),
    };
  }
  if (privateKey.asymmetricKeyType === "ed25519") {
    const keyType = "ssh-ed25519";
    const publicKey = Buffer.from(jwk.x!, "base64url");
    return {
      keyType,
      publicBlob: Buffer.concat([sshString(keyType), sshString(publicKey)]),
      privateFields: Buffer.concat([
        sshString(publicKey),
        sshString(Buffer.concat([Buffer.from(jwk.d!, "base64url"), publicKey])),
      ]),
    };
  }
  if (!sshCurve) {
    return undefined;
  }
  const keyType = `ecdsa-sha2-${sshCurve}`;
  const point = Buffer.concat([
    Buffer.from([4]),
    Buffer.from(jwk.x!, "base64url"),
    Buffer.from(jwk.y!, "base64url"),
  ]);
  return {
    keyType,
    publicBlob: Buffer.concat([sshString(keyType), sshString(sshCurve), sshString(point)]),
    privateFields: Buffer.concat([sshString(sshCurve), sshString(point), sshMpint(jwk.d!)]),
  };
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/** The `openssh-key-v1` private key format, unencrypted, as Go's `ssh.MarshalPrivateKey` writes it. */
function opensshPrivateKey(key: SshKey): string {
  const check = randomBytes(4);
  let section = Buffer.concat([check, check, sshString(key.keyType), key.privateFields, sshString("")]);
  const padding: number[] = [];
  for (let i = 1; (section.length + padding.length) % 8 !== 0; i++) {
    padding.push(i);
  }
  section = Buffer.concat([section, Buffer.from(padding)]);
  const nkeys = Buffer.alloc(4);
  nkeys.writeUInt32BE(1);
  const body = Buffer.concat([
    Buffer.from("openssh-key-v1\0", "latin1"),
    sshString("none"),
    sshString("none"),
    sshString(""),
    nkeys,
    sshString(key.publicBlob),
    sshString(section),
  ]);
  return pem("OPENSSH PRIVATE KEY", body);
}

/** The public-key outputs shared by `tls.PrivateKey` (and the SSH forms of a key). */
export function publicKeyOutputs(privateKey: KeyObject, curve: string | undefined): Props {
  const publicKeyPem = createPublicKey(privateKey).export({ type: "spki", format: "pem" }).toString();
  const ssh = sshKey(privateKey, curve);
  return {
    publicKeyPem,
    publicKeyOpenssh: ssh ? `${ssh.keyType} ${ssh.publicBlob.toString("base64")}\n` : "",
    publicKeyFingerprintMd5: ssh
      ? (createHash("md5").update(ssh.publicBlob).digest("hex").match(/../g) ?? []).join(":")
      : "",
    publicKeyFingerprintSha256: ssh
      ? `SHA256:${createHash("sha256").update(ssh.publicBlob).digest("base64").replace(/=+$/, "")}`
      : "",
  };
}

/** `tls:index/privateKey:PrivateKey`: a real key of the requested algorithm, size or curve. */
export async function privateKey(inputs: Props): Promise<{ id: string; computed: Props }> {
  const algorithm = str(inputs.algorithm) ?? "RSA";
  let key: KeyObject;
  let curve: string | undefined;
  let privateKeyPem: string;
  if (algorithm === "RSA") {
    const bits = num(inputs.rsaBits) ?? 2048;
    key = (await generateKeyPairAsync("rsa", { modulusLength: bits })).privateKey;
    privateKeyPem = key.export({ type: "pkcs1", format: "pem" }).toString();
  } else if (algorithm === "ECDSA") {
    curve = str(inputs.ecdsaCurve) ?? "P224";
    const known = CURVES[curve];
    if (!known) {
      throw new Error(`ecdsaCurve "${curve}" is not one of ${Object.keys(CURVES).join(", ")}.`);
    }
    key = (await generateKeyPairAsync("ec", { namedCurve: known.openssl })).privateKey;
    privateKeyPem = key.export({ type: "sec1", format: "pem" }).toString();
  } else if (algorithm === "ED25519") {
    key = (await generateKeyPairAsync("ed25519")).privateKey;
    privateKeyPem = key.export({ type: "pkcs8", format: "pem" }).toString();
  } else {
    throw new Error(`algorithm "${algorithm}" is not one of RSA, ECDSA, ED25519.`);
  }
  const ssh = sshKey(key, curve);
  const publicOutputs = publicKeyOutputs(key, curve);
  return {
    // The tls provider's ID: the SHA-1 of the public key PEM.
    id: createHash("sha1").update(String(publicOutputs.publicKeyPem)).digest("hex"),
    computed: {
      algorithm,
      rsaBits: algorithm === "RSA" ? (num(inputs.rsaBits) ?? 2048) : undefined,
      ecdsaCurve: str(inputs.ecdsaCurve) ?? "P224",
      privateKeyPem,
      privateKeyPemPkcs8: key.export({ type: "pkcs8", format: "pem" }).toString(),
      privateKeyOpenssh: ssh ? opensshPrivateKey(ssh) : "",
      ...publicOutputs,
    },
  };
}

const KEY_USAGE_BITS: Record<string, number> = {
  digital_signature: 1,
  content_commitment: 2,
  key_encipherment: 4,
  data_encipherment: 8,
  key_agreement: 16,
  cert_signing: 32,
  crl_signing: 64,
  encipher_only: 128,
  decipher_only: 256,
};

const EXTENDED_KEY_USAGES: Record<string, string> = {
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
};

/** Subject fields in the order Go's `pkix.Name` writes them, with their attribute OIDs. */
const SUBJECT_FIELDS: ReadonlyArray<[string, string]> = [
  ["country", "2.5.4.6"],
  ["province", "2.5.4.8"],
  ["locality", "2.5.4.7"],
  ["streetAddresses", "2.5.4.9"],
  ["postalCode", "2.5.4.17"],
  ["organization", "2.5.4.10"],
  ["organizationalUnit", "2.5.4.11"],
  ["commonName", "2.5.4.3"],
  ["serialNumber", "2.5.4.5"],
];

function subjectName(subject: unknown): Record<string, string[]>[] {
  const fields = isPlainObject(subject)
    ? subject
    : isPlainObject(list(subject)[0])
      ? (list(subject)[0] as Props)
      : {};
  const name: Record<string, string[]>[] = [];
  for (const [field, oid] of SUBJECT_FIELDS) {
    const value = fields[field];
    const values = Array.isArray(value)
      ? value.filter((v): v is string => typeof v === "string")
      : str(value);
    for (const v of Array.isArray(values) ? values : values ? [values] : []) {
      name.push({ [oid]: [v] });
    }
  }
  return name;
}

function keyAlgorithmName(key: KeyObject): "RSA" | "ECDSA" | "ED25519" {
  switch (key.asymmetricKeyType) {
    case "rsa":
      return "RSA";
    case "ec":
      return "ECDSA";
    case "ed25519":
      return "ED25519";
    default:
      throw new Error(
        `privateKeyPem holds a ${key.asymmetricKeyType} key; the tls provider signs with RSA, ECDSA or ED25519.`,
      );
  }
}

function webCryptoAlgorithm(key: KeyObject): { importAs: Props; signWith: Props } {
  if (key.asymmetricKeyType === "rsa") {
    const rsa = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
    return { importAs: rsa, signWith: rsa };
  }
  if (key.asymmetricKeyType === "ed25519") {
    return { importAs: { name: "Ed25519" }, signWith: { name: "Ed25519" } };
  }
  const namedCurve = key.asymmetricKeyDetails?.namedCurve;
  const curve = Object.values(CURVES).find(
    (c) => c.webcrypto && (namedCurve === c.openssl || namedCurve === nodeCurveName(c.openssl)),
  );
  if (!curve?.webcrypto) {
    throw new Error(`ECDSA curve ${namedCurve} cannot sign certificates here; use P256, P384 or P521.`);
  }
  return {
    importAs: { name: "ECDSA", namedCurve: curve.webcrypto },
    signWith: { name: "ECDSA", hash: curve.hash },
  };
}

function nodeCurveName(openssl: string): string {
  return { "P-256": "prime256v1", "P-384": "secp384r1", "P-521": "secp521r1" }[openssl] ?? openssl;
}

/** `tls:index/selfSignedCert:SelfSignedCert`: a real certificate, signed by the given private key. */
export async function selfSignedCert(inputs: Props, now: Date): Promise<{ id: string; computed: Props }> {
  const keyPem = str(inputs.privateKeyPem);
  if (!keyPem) {
    throw new Error("privateKeyPem is required to sign a self-signed certificate.");
  }
  // @peculiar/x509's dependency injection needs the Reflect metadata API loaded first.
  await import("reflect-metadata");
  const x509 = await import("@peculiar/x509");
  const subtle = webcrypto.subtle;
  const privateKeyObject = createPrivateKey(keyPem);
  const { importAs, signWith } = webCryptoAlgorithm(privateKeyObject);
  const keys = {
    privateKey: await subtle.importKey(
      "pkcs8",
      privateKeyObject.export({ type: "pkcs8", format: "der" }),
      importAs as unknown as webcrypto.AlgorithmIdentifier,
      false,
      ["sign"],
    ),
    publicKey: await subtle.importKey(
      "spki",
      createPublicKey(privateKeyObject).export({ type: "spki", format: "der" }),
      importAs as unknown as webcrypto.AlgorithmIdentifier,
      true,
      ["verify"],
    ),
  };

  const validityHours = num(inputs.validityPeriodHours) ?? 0;
  const notBefore = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const notAfter = addHours(notBefore, validityHours);
  const uses = list(inputs.allowedUses).filter((u): u is string => typeof u === "string");
  const keyUsageBits = uses.reduce((bits, use) => bits | (KEY_USAGE_BITS[use] ?? 0), 0);
  const extendedUsages = uses.map((use) => EXTENDED_KEY_USAGES[use]).filter((oid) => oid !== undefined);
  const isCa = bool(inputs.isCaCertificate) ?? false;
  const strings = (value: unknown): string[] => list(value).filter((v): v is string => typeof v === "string");
  const alternativeNames = [
    ...strings(inputs.dnsNames).map((value) => ({ type: "dns" as const, value })),
    ...strings(inputs.ipAddresses).map((value) => ({ type: "ip" as const, value })),
    ...strings(inputs.uris).map((value) => ({ type: "url" as const, value })),
  ];

  const cryptoProvider = webcrypto as unknown as Parameters<
    typeof x509.X509CertificateGenerator.createSelfSigned
  >[1];
  const extensions: InstanceType<typeof x509.Extension>[] = [
    new x509.BasicConstraintsExtension(isCa, undefined, true),
  ];
  if (keyUsageBits !== 0) {
    extensions.push(new x509.KeyUsagesExtension(keyUsageBits, true));
  }
  if (extendedUsages.length > 0) {
    extensions.push(new x509.ExtendedKeyUsageExtension(extendedUsages));
  }
  if (alternativeNames.length > 0) {
    extensions.push(new x509.SubjectAlternativeNameExtension(alternativeNames));
  }
  if (bool(inputs.setSubjectKeyId)) {
    extensions.push(await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, cryptoProvider));
  }
  if (bool(inputs.setAuthorityKeyId)) {
    extensions.push(await x509.AuthorityKeyIdentifierExtension.create(keys.publicKey, false, cryptoProvider));
  }

  // A positive 128-bit serial, as the tls provider draws one; its decimal form is the resource ID.
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serial.toString("hex"),
      name: subjectName(inputs.subject),
      notBefore,
      notAfter,
      signingAlgorithm: signWith as unknown as Parameters<
        typeof x509.X509CertificateGenerator.createSelfSigned
      >[0]["signingAlgorithm"],
      keys: keys as unknown as Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[0]["keys"],
      extensions,
    },
    cryptoProvider,
  );
  const earlyRenewalHours = num(inputs.earlyRenewalHours) ?? 0;
  return {
    id: BigInt(`0x${serial.toString("hex")}`).toString(10),
    computed: {
      certPem: certificate.toString("pem").replace(/\r\n/g, "\n").trimEnd() + "\n",
      keyAlgorithm: keyAlgorithmName(privateKeyObject),
      validityStartTime: rfc3339(notBefore),
      validityEndTime: rfc3339(notAfter),
      readyForRenewal: now.getTime() >= addHours(notAfter, -earlyRenewalHours).getTime(),
      isCaCertificate: isCa,
      earlyRenewalHours,
      setSubjectKeyId: bool(inputs.setSubjectKeyId) ?? false,
      setAuthorityKeyId: bool(inputs.setAuthorityKeyId) ?? false,
    },
  };
}
