import * as gcp from "@pulumi/gcp";
import {
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  validateResourceOfType,
} from "@pulumi/policy";
import { isSet } from "../lib/unknowns";
import { quote } from "../lib/values";

function checkSslPolicy(
  kind: string,
  sslPolicy: () => string | undefined,
  args: ResourceValidationArgs,
  report: ReportViolation,
) {
  if (!isSet(sslPolicy)) {
    report(
      `${kind} ${quote(args.name)} has no SSL policy, so it accepts TLS 1.0 and weak ciphers; ` +
        'set sslPolicy to an SSL policy with minTlsVersion "TLS_1_2" and profile "MODERN" or "RESTRICTED".',
    );
  }
}

export const httpsProxyRequiresSslPolicy: ResourceValidationPolicy = {
  name: "gcp-https-proxy-requires-ssl-policy",
  severity: "medium",
  remediationSteps:
    "Create an SSLPolicy with minTlsVersion TLS_1_2 and profile RESTRICTED (or MODERN) and set it as the proxy's sslPolicy.",
  url: "https://cloud.google.com/load-balancing/docs/ssl-policies-concepts",
  description:
    "HTTPS only, one trusted certificate: every proxy that terminates TLS for clients has an SSL policy that sets the minimum TLS version and ciphers.",
  validateResource: [
    validateResourceOfType(gcp.compute.TargetHttpsProxy, (proxy, args, report) =>
      checkSslPolicy("HTTPS proxy", () => proxy.sslPolicy, args, report),
    ),
    validateResourceOfType(gcp.compute.RegionTargetHttpsProxy, (proxy, args, report) =>
      checkSslPolicy("HTTPS proxy", () => proxy.sslPolicy, args, report),
    ),
    validateResourceOfType(gcp.compute.TargetSSLProxy, (proxy, args, report) =>
      checkSslPolicy("SSL proxy", () => proxy.sslPolicy, args, report),
    ),
  ],
};
