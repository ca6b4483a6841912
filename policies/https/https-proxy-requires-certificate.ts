import * as gcp from "@pulumi/gcp";
import { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { checkResource } from "../lib/policy";
import { isUnknown, list, quote, text } from "../lib/values";

function checkCertificates(
  proxy: { sslCertificates?: unknown; certificateMap?: unknown; certificateManagerCertificates?: unknown },
  args: ResourceValidationArgs,
  report: ReportViolation,
): void {
  const sources = [proxy.sslCertificates, proxy.certificateMap, proxy.certificateManagerCertificates];
  if (sources.some(isUnknown)) return;
  const hasCertificate =
    (list(proxy.sslCertificates)?.length ?? 0) > 0 ||
    (text(proxy.certificateMap) ?? "") !== "" ||
    (list(proxy.certificateManagerCertificates)?.length ?? 0) > 0;
  if (!hasCertificate) {
    report(
      `HTTPS proxy ${quote(args.name)} has no certificate; set sslCertificates to the site's certificate (or use a certificateMap).`,
    );
  }
}

export const httpsProxyRequiresCertificate: ResourceValidationPolicy = {
  name: "gcp-https-proxy-requires-certificate",
  severity: "high",
  remediationSteps: "Set sslCertificates (or a certificateMap) on the HTTPS proxy.",
  url: "https://cloud.google.com/load-balancing/docs/ssl-certificates",
  description: "HTTPS only, one trusted certificate: every HTTPS proxy presents a certificate for the site.",
  validateResource: [
    checkResource(gcp.compute.TargetHttpsProxy, (proxy, args, report) =>
      checkCertificates(proxy, args, report),
    ),
    checkResource(gcp.compute.RegionTargetHttpsProxy, (proxy, args, report) =>
      checkCertificates(proxy, args, report),
    ),
  ],
};
