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
import { Props, bool, isPlainObject, list, num, str } from "./values";

const generateKeyPairAsync = promisify(generateKeyPair);

/** The tls provider's ECDSA curve names → OpenSSL's names, and WebCrypto's where it can sign with them. */
const CURVES: Record<string, { openssl: string; webcrypto?: string; hash?: string }> = {
  P224: { openssl: "P-224" },
  P256: { openssl: "P-256", webcrypto: "P-256", hash: "SHA-256" },
  P384: { openssl: "P-384", webcrypto: "P-384", hash: "SHA-384" },
  P521: { openssl: "P-521", webcrypto: "P-521", hash: "SHA-512" },
};

/**
 * The key in OpenSSH's formats (sshpk), as the tls provider gives them: no comment, and nothing for a curve
 * OpenSSH lacks (P-224), where the provider leaves the OpenSSH outputs empty.
 */
function sshKey(privateKey: KeyObject): sshpk.PrivateKey | undefined {
  if (privateKey.asymmetricKeyType === "ec" && privateKey.asymmetricKeyDetails?.namedCurve === "secp224r1") {
    return undefined;
  }
  const key = sshpk.parsePrivateKey(privateKey.export({ type: "pkcs8", format: "pem" }), "pem");
  key.comment = "";
  return key;
}

/** The public-key outputs shared by `tls.PrivateKey` (and the SSH forms of a key). */
export function publicKeyOutputs(privateKey: KeyObject): Props {
  const publicKeyPem = createPublicKey(privateKey).export({ type: "spki", format: "pem" }).toString();
  const ssh = sshKey(privateKey);
  return {
    publicKeyPem,
    publicKeyOpenssh: ssh ? `${ssh.toPublic().toString("ssh")}\n` : "",
    publicKeyFingerprintMd5: ssh ? ssh.fingerprint("md5").toString("hex") : "",
    publicKeyFingerprintSha256: ssh ? ssh.fingerprint("sha256").toString() : "",
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
  const ssh = sshKey(key);
  const publicOutputs = publicKeyOutputs(key);
  return {
    // The tls provider's ID: the SHA-1 of the public key PEM.
    id: createHash("sha1").update(String(publicOutputs.publicKeyPem)).digest("hex"),
    computed: {
      algorithm,
      rsaBits: algorithm === "RSA" ? (num(inputs.rsaBits) ?? 2048) : undefined,
      ecdsaCurve: str(inputs.ecdsaCurve) ?? "P224",
      privateKeyPem,
      privateKeyPemPkcs8: key.export({ type: "pkcs8", format: "pem" }).toString(),
      privateKeyOpenssh: ssh ? ssh.toString("openssh") : "",
      ...publicOutputs,
    },
  };
}

/** The tls provider's key usage names → @peculiar/x509's KeyUsageFlags names. */
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

/** Extended key usages @peculiar/x509's ExtendedKeyUsage does not name, by the tls provider's names. */
const OTHER_EXTENDED_KEY_USAGES: Record<string, string> = {
  any_extended: "2.5.29.37.0",
  ipsec_end_system: "1.3.6.1.5.5.7.3.5",
  ipsec_tunnel: "1.3.6.1.5.5.7.3.6",
  ipsec_user: "1.3.6.1.5.5.7.3.7",
  // x509 spells it timeStamping, which the provider's name does not camel-case to.
  timestamping: "1.3.6.1.5.5.7.3.8",
  microsoft_server_gated_crypto: "1.3.6.1.4.1.311.10.3.3",
  netscape_server_gated_crypto: "2.16.840.1.113730.4.1",
};

/** `server_auth` → `serverAuth`, the name @peculiar/x509's enums use. */
const camel = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

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
  const flags = x509.KeyUsageFlags as unknown as Record<string, number>;
  const keyUsageBits = uses.reduce((bits, use) => bits | (flags[KEY_USAGES[use]] ?? 0), 0);
  const named = x509.ExtendedKeyUsage as Record<string, string>;
  const extendedUsages = uses
    .map((use) => named[camel(use)] ?? OTHER_EXTENDED_KEY_USAGES[use])
    .filter((oid) => oid !== undefined);
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
