import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";

import { EdgeSecurityMode } from "../../config/stackConfig";

/**
 * Google's preconfigured WAF rules from the OWASP Core Rule Set 3.3, and the CVE rule set that covers Log4j
 * (https://cloud.google.com/armor/docs/waf-rules). Sensitivity 1 turns on only the signatures least likely
 * to block real users; raise it per rule once the logs show what the site's own traffic looks like.
 */
export const preconfiguredWafRules = [
  { rule: "sqli-v33-stable", attack: "SQL injection" },
  { rule: "xss-v33-stable", attack: "cross-site scripting" },
  { rule: "lfi-v33-stable", attack: "local file inclusion" },
  { rule: "rfi-v33-stable", attack: "remote file inclusion" },
  { rule: "rce-v33-stable", attack: "remote code execution" },
  { rule: "scannerdetection-v33-stable", attack: "scanners" },
  { rule: "protocolattack-v33-stable", attack: "protocol attacks" },
  { rule: "cve-canary", attack: "Log4j and other published CVEs" },
] as const;

export const wafSensitivity = 1;

/** The lowest priority, which Cloud Armor requires every policy to have a rule at: the default rule. */
const defaultRulePriority = 2147483647;

const everyone = { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["*"] } };

export interface EdgeSecurityArgs {
  /** "preview" logs what the rules would do; "enforce" blocks. */
  mode: EdgeSecurityMode;
  /** Requests a minute one client IP may send before it gets 429s. */
  rateLimitPerMinute: number;
}

/**
 * The Cloud Armor policy in front of the site: the WAF rules deny with 403, each client IP is throttled
 * with 429 above its rate, Adaptive Protection watches for layer-7 floods, and everything else is allowed.
 */
export function createEdgeSecurityPolicy(
  name: string,
  args: EdgeSecurityArgs,
  parent: pulumi.Resource,
): gcp.compute.SecurityPolicy {
  const preview = args.mode === "preview";
  return new gcp.compute.SecurityPolicy(
    `${name}-armor`,
    {
      description: `Cloud Armor in front of the site (${args.mode}): OWASP rules, a per-client rate limit, Adaptive Protection.`,
      type: "CLOUD_ARMOR",
      adaptiveProtectionConfig: { layer7DdosDefenseConfig: { enable: true, ruleVisibility: "STANDARD" } },
      rules: [
        ...preconfiguredWafRules.map(({ rule, attack }, i) => ({
          priority: 1000 + i * 10,
          action: "deny(403)",
          preview,
          description: `Blocks ${attack} (${rule}).`,
          match: {
            expr: { expression: `evaluatePreconfiguredWaf('${rule}', {'sensitivity': ${wafSensitivity}})` },
          },
        })),
        {
          priority: 2000,
          action: "throttle",
          preview,
          description: `At most ${args.rateLimitPerMinute} requests a minute from one client IP.`,
          match: everyone,
          rateLimitOptions: {
            conformAction: "allow",
            exceedAction: "deny(429)",
            enforceOnKey: "IP",
            rateLimitThreshold: { count: args.rateLimitPerMinute, intervalSec: 60 },
          },
        },
        { priority: defaultRulePriority, action: "allow", description: "Everything else.", match: everyone },
      ],
    },
    { parent },
  );
}
