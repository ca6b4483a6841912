import * as gcp from "@pulumi/gcp";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { propsAs, StackIndex } from "../lib/stack";
import { T } from "../lib/types";
import { known, NOT_KNOWN } from "../lib/unknowns";
import { isAbsent, quote } from "../lib/values";
import { HTTPS_PROXY_TYPES } from "./site-served-by-https-proxy";

export interface ManagedCertificateConfig {
  requireManagedCertificate: boolean;
}

const CERTIFICATE_TYPES = [T.managedSslCertificate, T.sslCertificate, T.regionSslCertificate];

/** True when a certificate resource is one Google issues and renews (so browsers trust it). */
function isManaged(certificate: PolicyResource): boolean {
  if (certificate.type === T.managedSslCertificate) {
    const type = propsAs(certificate, gcp.compute.ManagedSslCertificate).type;
    return isAbsent(type) || type.toUpperCase() === "MANAGED";
  }
  if (certificate.type === T.certificateManagerCertificate) {
    const props = propsAs(certificate, gcp.certificatemanager.Certificate);
    return !isAbsent(props.managed) && isAbsent(props.selfManaged);
  }
  return false;
}

/** The self-signed certificate (from @pulumi/tls) a self-managed certificate was made from, if the stack shows it. */
function selfSignedSource(certificate: PolicyResource): PolicyResource | undefined {
  const fromProperty = certificate.propertyDependencies?.certificate ?? [];
  return [...fromProperty, ...(certificate.dependencies ?? [])].find((d) => d.type === T.tlsSelfSignedCert);
}

export const httpsProxyRequiresManagedCertificate: StackValidationPolicy = {
  name: "gcp-https-proxy-requires-managed-certificate",
  severity: "medium",
  remediationSteps:
    "Put a ManagedSslCertificate for the site's domains in the proxy's sslCertificates, and point the domains' DNS at the load balancer's address so Google can provision it.",
  url: "https://cloud.google.com/load-balancing/docs/ssl-certificates/google-managed-certs",
  description:
    "HTTPS only, one trusted certificate: where the environment's policy config requires it (prod), HTTPS proxies serve a Google-managed certificate that browsers trust, never a self-signed or self-managed one; certificates it cannot inspect (not created in the stack, or behind a certificate map) are reported too.",
  configSchema: {
    properties: {
      requireManagedCertificate: {
        type: "boolean",
        default: false,
        description:
          "Require Google-managed certificates on every HTTPS proxy (set in prod's policy config).",
      },
    },
  },
  validateStack: (args, report) => {
    if (!args.getConfig<ManagedCertificateConfig>().requireManagedCertificate) {
      args.notApplicable("This environment's policy config does not require managed certificates.");
    }
    const index = StackIndex.of(args.resources);
    for (const proxy of index.ofType(...HTTPS_PROXY_TYPES)) {
      const props = propsAs(proxy, gcp.compute.TargetHttpsProxy);
      const ssl = index.resolve(proxy, "sslCertificates", () => props.sslCertificates, CERTIFICATE_TYPES);
      const manager = index.resolve(
        proxy,
        "certificateManagerCertificates",
        () => props.certificateManagerCertificates,
        [T.certificateManagerCertificate],
      );
      const certificates = [...ssl.found, ...manager.found];
      // Certificates this stack does not create cannot be inspected, so a required managed certificate is not shown.
      for (const ref of [...ssl.external, ...manager.external]) {
        report(
          `HTTPS proxy ${quote(proxy.name)} serves the certificate ${quote(ref)}, which is not in this stack, so the pack cannot verify that it is Google-managed; ` +
            "this environment requires a Google-managed certificate: create a ManagedSslCertificate for the site's domain in this stack and reference it in sslCertificates.",
          proxy.urn,
        );
      }
      const certificateMap = known(() => props.certificateMap);
      if (!isAbsent(certificateMap)) {
        const map = certificateMap === NOT_KNOWN ? "" : ` ${quote(certificateMap)}`;
        report(
          `HTTPS proxy ${quote(proxy.name)} serves the certificates of the certificate map${map}, which the pack cannot verify are Google-managed; ` +
            "this environment requires a Google-managed certificate: remove certificateMap and reference a ManagedSslCertificate for the site's domain, created in this stack, in sslCertificates.",
          proxy.urn,
        );
      }
      for (const certificate of certificates) {
        // A certificate whose kind is not known until the update may be managed.
        if (known(() => isManaged(certificate)) !== false) continue;

        const source = selfSignedSource(certificate);
        const origin = source ? ` (made from the self-signed certificate ${quote(source.name)})` : "";
        report(
          `HTTPS proxy ${quote(proxy.name)} serves the self-managed certificate ${quote(certificate.name)}${origin}, which browsers may not trust; ` +
            "this environment requires a Google-managed certificate: use a ManagedSslCertificate for the site's domain.",
          proxy.urn,
        );
      }
    }
  },
};
