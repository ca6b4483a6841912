import * as gcp from "@pulumi/gcp";
import {
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  validateResourceOfType,
} from "@pulumi/policy";
import { isSet } from "../lib/unknowns";
import { quote } from "../lib/values";

function checkCertificates(
  proxy: { sslCertificates?: string[]; certificateMap?: string; certificateManagerCertificates?: string[] },
  args: ResourceValidationArgs,
  report: ReportViolation,
): void {
  const hasCertificate =
    isSet(() => proxy.sslCertificates) ||
    isSet(() => proxy.certificateMap) ||
    isSet(() => proxy.certificateManagerCertificates);

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
    validateResourceOfType(gcp.compute.TargetHttpsProxy, (proxy, args, report) =>
      checkCertificates(proxy, args, report),
    ),
    validateResourceOfType(gcp.compute.RegionTargetHttpsProxy, (proxy, args, report) =>
      checkCertificates(proxy, args, report),
    ),
  ],
};
