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
import * as sshpk from "sshpk";
import { addHours, rfc3339 } from "./time";
import { Props, bool, isPlainObject, list, num, obj, str } from "./values";

const generateKeyPairAsync = promisify(generateKeyPair) as (
  type: string,
  options: object,
) => Promise<{ privateKey: KeyObject }>;

/**
 * The tls provider's ECDSA curve names → node's (OpenSSL's), and the hash WebCrypto signs with on the curve
 * (none on P-224, which WebCrypto lacks).
 */
const CURVES: Record<string, { node: string; hash?: string }> = {
  P224: { node: "secp224r1" },
  P256: { node: "prime256v1", hash: "SHA-256" },
  P384: { node: "secp384r1", hash: "SHA-384" },
  P521: { node: "secp521r1", hash: "SHA-512" },
};

/** The tls provider's algorithms → node's key types, and the PEM form the provider writes each in. */
const ALGORITHMS: Record<string, { type: string; pem: "pkcs1" | "sec1" | "pkcs8" }> = {
  RSA: { type: "rsa", pem: "pkcs1" },
  ECDSA: { type: "ec", pem: "sec1" },
  ED25519: { type: "ed25519", pem: "pkcs8" },
};

/** `tls:index/privateKey:PrivateKey`: a real key of the requested algorithm, size or curve. */
export async function privateKey(inputs: Props): Promise<{ id: string; computed: Props }> {
  const algorithm = str(inputs.algorithm) ?? "RSA";
  const rsaBits = num(inputs.rsaBits) ?? 2048;
  const ecdsaCurve = str(inputs.ecdsaCurve) ?? "P224";
  const kind = ALGORITHMS[algorithm];
  if (!kind) {
    throw new Error(`algorithm "${algorithm}" is not one of RSA, ECDSA, ED25519.`);
  }
  if (algorithm === "ECDSA" && !CURVES[ecdsaCurve]) {
    throw new Error(`ecdsaCurve "${ecdsaCurve}" is not one of ${Object.keys(CURVES).join(", ")}.`);
  }
  const options =
    algorithm === "RSA"
      ? { modulusLength: rsaBits }
      : algorithm === "ECDSA"
        ? { namedCurve: CURVES[ecdsaCurve].node }
        : {};
  const { privateKey: key } = await generateKeyPairAsync(kind.type, options);
  const pem = (type: "pkcs1" | "sec1" | "pkcs8") => key.export({ type, format: "pem" }).toString();
  const publicKeyPem = createPublicKey(key).export({ type: "spki", format: "pem" }).toString();
  // The OpenSSH forms (sshpk), as the tls provider gives them: no comment, and empty for a curve OpenSSH
  // lacks (P-224).
  const ssh =
    key.asymmetricKeyDetails?.namedCurve === "secp224r1" ? undefined : sshpk.parsePrivateKey(pem("pkcs8"));
  if (ssh) {
    ssh.comment = "";
  }
  return {
    // The tls provider's ID: the SHA-1 of the public key PEM.
    id: createHash("sha1").update(publicKeyPem).digest("hex"),
    computed: {
      algorithm,
      rsaBits: algorithm === "RSA" ? rsaBits : undefined,
      ecdsaCurve,
      privateKeyPem: pem(kind.pem),
      privateKeyPemPkcs8: pem("pkcs8"),
      privateKeyOpenssh: ssh?.toString("openssh") ?? "",
      publicKeyPem,
      publicKeyOpenssh: ssh ? `${ssh.toPublic().toString("ssh")}\n` : "",
      publicKeyFingerprintMd5: ssh?.fingerprint("md5").toString("hex") ?? "",
      publicKeyFingerprintSha256: ssh?.fingerprint("sha256").toString() ?? "",
    },
  };
}

/**
 * The tls provider's key usage names → @peculiar/x509's KeyUsageFlags names. Listed in full, not derived by
 * camel-casing: a name the provider does not know (`non_repudiation`) must set no bit.
 */
const KEY_USAGES: Record<string, string> = {
  digital_signature: "digitalSignature",
  content_commitment: "nonRepudiation",
  key_encipherment: "keyEncipherment",
  data_encipherment: "dataEncipherment",
  key_agreement: "keyAgreement",
  cert_signing: "keyCertSign",
  crl_signing: "cRLSign",
  encipher_only: "encipherOnly",
  decipher_only: "decipherOnly",
};

/** The tls provider's extended key usage names → their OIDs (RFC 5280 and the vendors' own). */
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
  microsoft_commercial_code_signing: "1.3.6.1.4.1.311.2.1.22",
  microsoft_kernel_code_signing: "1.3.6.1.4.1.311.61.1.1",
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
  const fields = obj(isPlainObject(subject) ? subject : list(subject)[0]);
  return SUBJECT_FIELDS.flatMap(([field, oid]) =>
    [fields[field]].flat().flatMap((value) => (str(value) ? [{ [oid]: [value as string] }] : [])),
  );
}

/** How WebCrypto imports the key and signs with it. */
function webCryptoAlgorithm(key: KeyObject): { importAs: Props; signWith: Props } {
  if (key.asymmetricKeyType === "rsa") {
    const rsa = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
    return { importAs: rsa, signWith: rsa };
  }
  if (key.asymmetricKeyType === "ed25519") {
    return { importAs: { name: "Ed25519" }, signWith: { name: "Ed25519" } };
  }
  const namedCurve = key.asymmetricKeyDetails?.namedCurve;
  const curve = Object.keys(CURVES).find((name) => CURVES[name].node === namedCurve && CURVES[name].hash);
  if (key.asymmetricKeyType !== "ec" || !curve) {
    throw new Error(
      `privateKeyPem holds a ${key.asymmetricKeyType} ${namedCurve ?? ""} key; certificates are signed here with RSA, ECDSA (P256, P384, P521) or ED25519.`,
    );
  }
  return {
    importAs: { name: "ECDSA", namedCurve: `P-${curve.slice(1)}` },
    signWith: { name: "ECDSA", hash: CURVES[curve].hash },
  };
}

/** @peculiar/x509, loaded on first use: its ASN.1 schemas take about a tenth of a second to load. */
export async function loadX509(): Promise<typeof import("@peculiar/x509")> {
  // Its dependency injection needs the Reflect metadata API loaded first.
  await import("reflect-metadata");
  return import("@peculiar/x509");
}

/** `tls:index/selfSignedCert:SelfSignedCert`: a real certificate, signed by the given private key. */
export async function selfSignedCert(inputs: Props, now: Date): Promise<{ id: string; computed: Props }> {
  const keyPem = str(inputs.privateKeyPem);
  if (!keyPem) {
    throw new Error("privateKeyPem is required to sign a self-signed certificate.");
  }
  const x509 = await loadX509();
  const privateKeyObject = createPrivateKey(keyPem);
  const { importAs, signWith } = webCryptoAlgorithm(privateKeyObject);
  const importKey = (format: "pkcs8" | "spki", key: KeyObject, usage: "sign" | "verify") =>
    webcrypto.subtle.importKey(
      format,
      key.export({ type: format, format: "der" }),
      importAs as unknown as webcrypto.AlgorithmIdentifier,
      format === "spki",
      [usage],
    );
  const keys = {
    privateKey: await importKey("pkcs8", privateKeyObject, "sign"),
    publicKey: await importKey("spki", createPublicKey(privateKeyObject), "verify"),
  };

  const validityHours = num(inputs.validityPeriodHours) ?? 0;
  const notBefore = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const notAfter = addHours(notBefore, validityHours);
  const uses = list(inputs.allowedUses).filter((u): u is string => typeof u === "string");
  const flags = x509.KeyUsageFlags as unknown as Record<string, number>;
  // Refused as the tls provider's schema refuses it: terraform-provider-tls checks each of allowed_uses with
  // OneOf over its keyUsages and extendedKeyUsages maps, which the tables above follow.
  const unknownUse = uses.find((use) => !KEY_USAGES[use] && !EXTENDED_KEY_USAGES[use]);
  if (unknownUse !== undefined) {
    throw new Error(
      `allowedUses: "${unknownUse}" is not a key usage or extended key usage the tls provider knows; ` +
        `use ${[...Object.keys(KEY_USAGES), ...Object.keys(EXTENDED_KEY_USAGES)].join(", ")}.`,
    );
  }
  const keyUsageBits = uses.reduce((bits, use) => bits | (flags[KEY_USAGES[use]] ?? 0), 0);
  const extendedUsages = uses.map((use) => EXTENDED_KEY_USAGES[use]).filter((oid) => oid !== undefined);
  const isCa = bool(inputs.isCaCertificate) ?? false;
  const strings = (value: unknown): string[] => list(value).filter((v): v is string => typeof v === "string");
  const alternativeNames = [
    ...strings(inputs.dnsNames).map((value) => ({ type: "dns" as const, value })),
    ...strings(inputs.ipAddresses).map((value) => ({ type: "ip" as const, value })),
    ...strings(inputs.uris).map((value) => ({ type: "url" as const, value })),
  ];

  type Params = Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>;
  const cryptoProvider = webcrypto as unknown as Params[1];
  const extensions = [
    new x509.BasicConstraintsExtension(isCa, undefined, true),
    keyUsageBits !== 0 && new x509.KeyUsagesExtension(keyUsageBits, true),
    extendedUsages.length > 0 && new x509.ExtendedKeyUsageExtension(extendedUsages),
    alternativeNames.length > 0 && new x509.SubjectAlternativeNameExtension(alternativeNames),
    bool(inputs.setSubjectKeyId) &&
      (await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, cryptoProvider)),
    bool(inputs.setAuthorityKeyId) &&
      (await x509.AuthorityKeyIdentifierExtension.create(keys.publicKey, false, cryptoProvider)),
  ].filter((extension) => extension instanceof x509.Extension);

  // A positive 128-bit serial, as the tls provider draws one; its decimal form is the resource ID.
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serial.toString("hex"),
      name: subjectName(inputs.subject),
      notBefore,
      notAfter,
      signingAlgorithm: signWith as unknown as Params[0]["signingAlgorithm"],
      keys: keys as unknown as Params[0]["keys"],
      extensions,
    },
    cryptoProvider,
  );
  const earlyRenewalHours = num(inputs.earlyRenewalHours) ?? 0;
  return {
    id: BigInt(`0x${serial.toString("hex")}`).toString(10),
    computed: {
      certPem: certificate.toString("pem").replace(/\r\n/g, "\n").trimEnd() + "\n",
      keyAlgorithm: Object.keys(ALGORITHMS).find(
        (a) => ALGORITHMS[a].type === privateKeyObject.asymmetricKeyType,
      ),
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
