import * as gcp from "@pulumi/gcp";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { servesSite } from "../lib/site";
import { propsAs, StackIndex } from "../lib/stack";
import { T } from "../lib/types";
import { known, NOT_KNOWN } from "../lib/unknowns";
import { isAbsent, joinWords, quote } from "../lib/values";
import { HTTPS_PROXY_TYPES } from "../https/site-served-by-https-proxy";

const CERTIFICATE_TYPES = [T.managedSslCertificate, T.sslCertificate, T.regionSslCertificate];

/** The domains one certificate covers, or undefined when they cannot be known from the stack. */
function domainsOfCertificate(certificate: PolicyResource): string[] | undefined {
  if (certificate.type === T.managedSslCertificate) {
    const domains = known(() => [
      ...(propsAs(certificate, gcp.compute.ManagedSslCertificate).managed?.domains ?? []),
    ]);
    return domains === NOT_KNOWN || domains.length === 0 ? undefined : domains;
  }
  // A self-managed certificate shows its domains only through the self-signed certificate it was made from.
  const fromProperty = certificate.propertyDependencies?.certificate ?? [];
  const source = [...fromProperty, ...(certificate.dependencies ?? [])].find(
    (d) => d.type === T.tlsSelfSignedCert,
  );
  if (!source) return undefined;
  // @pulumi/tls is not a dependency of the pack: the two fields of its SelfSignedCert read here, typed by hand.
  const cert = source.props as { dnsNames?: string[]; subject?: { commonName?: string } };

  const names = known(() => [...(cert.dnsNames ?? []), cert.subject?.commonName]);
  if (names === NOT_KNOWN) return undefined;
  const domains = names.filter((n): n is string => !isAbsent(n) && n !== "");
  return domains.length > 0 ? domains : undefined;
}

/** The domains of the certificates the site's HTTPS proxies serve, or undefined when any is unknown. */
function siteDomains(index: StackIndex): string[] | undefined {
  const domains: string[] = [];
  for (const proxy of index.ofType(...HTTPS_PROXY_TYPES)) {
    const props = propsAs(proxy, gcp.compute.TargetHttpsProxy);
    const resolution = index.resolve(
      proxy,
      "sslCertificates",
      () => props.sslCertificates,
      CERTIFICATE_TYPES,
    );
    if (resolution.unknown || resolution.external.length > 0) return undefined;
    if (!isAbsent(known(() => props.certificateMap))) return undefined;
    for (const certificate of resolution.found) {
      const covered = domainsOfCertificate(certificate);
      if (!covered) return undefined;
      domains.push(...covered.map((d) => d.toLowerCase()));
    }
  }
  return domains.length > 0 ? [...new Set(domains)] : undefined;
}

/** True when a host is one of the domains, wildcards (`*.foobar.com`) matching one label. */
function covers(domains: readonly string[], host: string): boolean {
  const wanted = host.toLowerCase().replace(/\.$/, "");
  return domains.some((domain) =>
    domain.startsWith("*.")
      ? wanted.endsWith(domain.slice(1)) && !wanted.slice(0, -domain.length + 1).includes(".")
      : domain === wanted,
  );
}

export const siteRequiresUptimeCheck: StackValidationPolicy = {
  name: "gcp-site-requires-uptime-check",
  severity: "medium",
  remediationSteps:
    "Add an UptimeCheckConfig whose httpCheck has useSsl and validateSsl on, port 443, for a host the site's certificate covers.",
  url: "https://cloud.google.com/monitoring/uptime-checks",
  description:
    "Monitoring on every server, and QPS monitoring: a stack that serves a site has an uptime check that requests it over HTTPS from outside, on a host its certificate covers when the stack shows the certificate's domains.",
  validateStack: (args, report) => {
    const index = StackIndex.of(args.resources);
    if (!servesSite(index)) args.notApplicable("The stack serves no site through a load balancer.");
    const checks = index.ofType(T.uptimeCheckConfig);
    if (checks.length === 0) {
      report(
        "The stack serves a site but has no uptime check; add an UptimeCheckConfig whose httpCheck requests the site's domain with useSsl: true.",
      );
      return;
    }
    const uptime = (check: PolicyResource) => propsAs(check, gcp.monitoring.UptimeCheckConfig);
    // A check whose protocol is not known yet may be the HTTPS one.
    const httpsChecks = checks.filter((check) => {
      const useSsl = known(() => uptime(check).httpCheck?.useSsl);
      return useSsl === NOT_KNOWN || useSsl === true;
    });
    if (httpsChecks.length === 0) {
      for (const check of checks) {
        const plainHttp = !isAbsent(uptime(check).httpCheck);
        report(
          plainHttp
            ? `Uptime check ${quote(check.name)} requests the site over plain HTTP; set httpCheck.useSsl to true so it checks the HTTPS site users reach.`
            : `Uptime check ${quote(check.name)} does not request the site over HTTPS; give it an httpCheck with useSsl: true on the site's domain.`,
          check.urn,
        );
      }
      return;
    }
    const domains = siteDomains(index);
    if (!domains) return;
    const hostOf = (check: PolicyResource) => known(() => uptime(check).monitoredResource?.labels.host);
    const onSite = httpsChecks.some((check) => {
      const host = hostOf(check);
      return host === NOT_KNOWN || (!isAbsent(host) && covers(domains, host));
    });
    if (onSite) return;
    const shown = joinWords(domains.map(quote));
    for (const check of httpsChecks) {
      const host = hostOf(check) as string | undefined;

      const what = !isAbsent(host) ? `requests ${quote(host)}` : "names no host";
      report(
        `Uptime check ${quote(check.name)} ${what}, not the site's domain (${shown} on its certificate); ` +
          "set monitoredResource.labels.host to the site's domain so the check watches the site users reach.",
        check.urn,
      );
    }
  },
};
