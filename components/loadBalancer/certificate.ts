import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import * as tls from "@pulumi/tls";
import { CertificateMode } from "../../config/stackConfig";

/**
 * The site's one certificate: Google-managed for the domain (browser-trusted, renewed by Google), or a
 * self-signed one for stacks without a public DNS name. The self-signed key is a Pulumi secret in state.
 */
export function createCertificate(
  name: string,
  mode: CertificateMode,
  domain: string,
  parent: pulumi.Resource,
): gcp.compute.ManagedSslCertificate | gcp.compute.SSLCertificate {
  if (mode === "managed") {
    return new gcp.compute.ManagedSslCertificate(
      `${name}-cert`,
      { description: `Google-managed certificate for ${domain}.`, managed: { domains: [domain] } },
      { parent },
    );
  }
  const key = new tls.PrivateKey(
    `${name}-key`,
    { algorithm: "ECDSA", ecdsaCurve: "P256" },
    { parent, additionalSecretOutputs: ["privateKeyPem", "privateKeyPemPkcs8", "privateKeyOpenssh"] },
  );
  const cert = new tls.SelfSignedCert(
    `${name}-self-signed`,
    {
      privateKeyPem: key.privateKeyPem,
      subject: { commonName: domain, organization: "foobar" },
      dnsNames: [domain],
      validityPeriodHours: 24 * 90,
      earlyRenewalHours: 24 * 30,
      allowedUses: ["digital_signature", "key_encipherment", "server_auth"],
    },
    { parent },
  );
  return new gcp.compute.SSLCertificate(
    `${name}-cert`,
    {
      description: `Self-signed certificate for ${domain}; browsers do not trust it.`,
      certificate: cert.certPem,
      privateKey: pulumi.secret(key.privateKeyPem),
    },
    { parent, additionalSecretOutputs: ["privateKey"] },
  );
}
