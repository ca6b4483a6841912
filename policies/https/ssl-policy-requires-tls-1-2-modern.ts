import * as gcp from "@pulumi/gcp";
import {
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  validateResourceOfType,
} from "@pulumi/policy";
import { isAbsent, quote } from "../lib/values";

export interface SslPolicyConfig {
  requireRestrictedProfile: boolean;
}

const STRONG_TLS_VERSIONS = ["TLS_1_2", "TLS_1_3"];
const STRONG_PROFILES = ["MODERN", "RESTRICTED"];

/** Cipher suites without forward secrecy, with CBC, 3DES, RC4 or SHA-1 MACs. */
export function isWeakCipherSuite(feature: string): boolean {
  return /^TLS_RSA_|_CBC_|3DES|RC4|_SHA$/.test(feature.trim().toUpperCase());
}

function checkSslPolicy(
  policy: { minTlsVersion?: string; profile?: string; customFeatures?: string[] },
  args: ResourceValidationArgs,
  report: ReportViolation,
): void {
  const name = quote(args.name);
  const { requireRestrictedProfile } = args.getConfig<SslPolicyConfig>();
  const version = policy.minTlsVersion;
  if (!STRONG_TLS_VERSIONS.includes(version?.toUpperCase() ?? "")) {
    const shown = isAbsent(version) ? "unset, which means TLS_1_0" : `"${version}"`;
    report(
      `SSL policy ${name} lets clients use TLS older than 1.2 (minTlsVersion ${shown}); set minTlsVersion to "TLS_1_2".`,
    );
  }
  const profile = (policy.profile ?? "COMPATIBLE").toUpperCase();
  if (profile === "CUSTOM") {
    const weak = (policy.customFeatures ?? []).filter(isWeakCipherSuite);
    if (weak.length > 0) {
      report(
        `SSL policy ${name} enables weak cipher suites (${weak.join(", ")}); remove them from customFeatures or use the "RESTRICTED" profile.`,
      );
    }
  } else if (!STRONG_PROFILES.includes(profile)) {
    const shown = isAbsent(policy.profile) ? "the default COMPATIBLE profile" : `the profile "${profile}"`;
    const wanted = requireRestrictedProfile ? '"RESTRICTED"' : '"MODERN" or "RESTRICTED"';
    report(`SSL policy ${name} uses ${shown}, which keeps weak ciphers; set profile to ${wanted}.`);
  } else if (profile === "MODERN" && requireRestrictedProfile) {
    report(
      `SSL policy ${name} uses the profile "MODERN", which still enables CBC cipher suites with SHA-1 MACs; ` +
        'this environment requires forward-secret AEAD ciphers only: set profile to "RESTRICTED".',
    );
  }
}

export const sslPolicyRequiresTls12Modern: ResourceValidationPolicy = {
  name: "gcp-ssl-policy-requires-tls-1-2-modern",
  severity: "medium",
  remediationSteps:
    "Set minTlsVersion to TLS_1_2 and profile to RESTRICTED (MODERN where the config allows it); for a CUSTOM profile, drop the RSA key exchange, CBC, 3DES, RC4 and SHA-1 suites from customFeatures.",
  url: "https://cloud.google.com/load-balancing/docs/ssl-policies-concepts",
  description:
    "HTTPS only, one trusted certificate: SSL policies require TLS 1.2 or newer and a profile without weak ciphers (MODERN or RESTRICTED; only RESTRICTED, forward-secret AEAD ciphers, where the environment's policy config says so), and CUSTOM profiles enable no RSA key exchange, CBC, 3DES, RC4 or SHA-1 suites.",
  configSchema: {
    properties: {
      requireRestrictedProfile: {
        type: "boolean",
        default: false,
        description:
          "Accept only the RESTRICTED profile (or an equally strong CUSTOM one), not MODERN, whose CBC suites a CUSTOM profile may not enable (set in prod's policy config).",
      },
    },
  },
  validateResource: [
    validateResourceOfType(gcp.compute.SSLPolicy, (policy, args, report) =>
      checkSslPolicy(policy, args, report),
    ),
    validateResourceOfType(gcp.compute.RegionSslPolicy, (policy, args, report) =>
      checkSslPolicy(policy, args, report),
    ),
  ],
};
