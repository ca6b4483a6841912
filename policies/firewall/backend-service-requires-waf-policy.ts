import * as gcp from "@pulumi/gcp";
import { StackValidationPolicy } from "@pulumi/policy";
import { propsAs, StackIndex } from "../lib/stack";
import { T } from "../lib/types";
import { known, NOT_KNOWN } from "../lib/unknowns";
import { isAbsent, joinWords, quote } from "../lib/values";

type Rule = gcp.types.output.compute.SecurityPolicyRule;

export interface WafConfig {
  requiredRules: string[];
  requireEnforced: boolean;
}

const INTERNET_FACING = ["EXTERNAL", "EXTERNAL_MANAGED"];

/** The preconfigured WAF rule sets a rule's expression evaluates (`evaluatePreconfiguredWaf('sqli-v33-stable', …)`). */
function wafRulesIn(expression: string): string[] {
  return [...expression.matchAll(/evaluatePreconfigured(?:Waf|Expr)\(\s*['"]([a-z0-9.-]+)['"]/g)].map(
    (m) => m[1],
  );
}

/** Whether a rule's match takes every request: all source ranges, or the expression `true`. */
function allowsEveryone(match: Rule["match"]): boolean {
  const ranges = match?.config?.srcIpRanges ?? [];
  return ranges.includes("*") || ranges.includes("0.0.0.0/0") || match?.expr?.expression.trim() === "true";
}

/**
 * The preconfigured WAF rule sets a policy's rules deny (with `enforcedOnly`, only those not in preview
 * mode). Cloud Armor applies the first matching rule by priority, so a deny behind an allow-everything
 * rule never runs and does not count.
 */
function deniedWafRules(rules: readonly Rule[], enforcedOnly: boolean): Set<string> {
  const priority = (rule: Rule) => rule.priority ?? Number.MAX_SAFE_INTEGER;
  const allowAll = Math.min(
    ...rules.filter((r) => r.action === "allow" && allowsEveryone(r.match)).map(priority),
  );
  return new Set(
    rules
      .filter((r) => r.action.startsWith("deny") && (r.priority ?? 0) < allowAll)
      .filter((r) => !enforcedOnly || r.preview !== true)
      .flatMap((r) => wafRulesIn(r.match?.expr?.expression ?? "")),
  );
}

export const backendServiceRequiresWafPolicy: StackValidationPolicy = {
  name: "gcp-backend-service-requires-waf-policy",
  severity: "high",
  remediationSteps:
    "Attach a Cloud Armor SecurityPolicy to the backend service (securityPolicy) with a deny rule whose expression calls evaluatePreconfiguredWaf for each required rule set, and set preview: false where the config requires enforcement.",
  url: "https://cloud.google.com/armor/docs/waf-rules",
  description:
    "A firewall in front of every server: the backend service of an internet-facing load balancer has a Cloud Armor policy that denies what Google's preconfigured WAF rules catch (and, where required, enforces them rather than only previewing).",
  configSchema: {
    properties: {
      requiredRules: {
        type: "array",
        items: { type: "string", minLength: 1 },
        default: ["sqli", "xss", "lfi", "rfi", "rce", "scannerdetection", "protocolattack", "cve"],
        description:
          "Rule families that must be denied: a rule set counts for a family when its name starts with it (sqli-v33-stable for sqli).",
      },
      requireEnforced: {
        type: "boolean",
        default: false,
        description: "Require the WAF rules to block, not run in preview.",
      },
    },
  },
  validateStack: (args, report) => {
    const index = StackIndex.of(args.resources);
    const services = index.ofType(T.backendService, T.regionBackendService).filter((s) => {
      const scheme = known(() => propsAs(s, gcp.compute.BackendService).loadBalancingScheme);
      return scheme === NOT_KNOWN || INTERNET_FACING.includes(scheme ?? "EXTERNAL");
    });
    if (services.length === 0) args.notApplicable("The stack has no internet-facing backend service.");
    const { requiredRules, requireEnforced } = args.getConfig<WafConfig>();
    for (const service of services) {
      const read = () => propsAs(service, gcp.compute.BackendService).securityPolicy;
      const reference = known(read);
      if (reference === NOT_KNOWN) continue;
      const resolved = index.resolve(service, "securityPolicy", read, [T.securityPolicy]);
      if (resolved.unknown) continue;
      const policy = resolved.found[0];
      if (!policy) {
        report(
          `Backend service ${quote(service.name)} faces the internet without a Cloud Armor policy ` +
            (isAbsent(reference) ? "" : `from this stack (securityPolicy ${quote(reference)}) `) +
            "that the pack can check; attach a gcp.compute.SecurityPolicy whose rules deny Google's preconfigured WAF rules.",
          service.urn,
        );
        continue;
      }
      const rules = known(() => propsAs(policy, gcp.compute.SecurityPolicy).rules ?? []);
      if (rules === NOT_KNOWN) continue;
      const covered = (enforcedOnly: boolean) => known(() => deniedWafRules(rules, enforcedOnly));
      const missing = (set: Set<string>) =>
        requiredRules.filter((family) => ![...set].some((rule) => rule.startsWith(family)));
      const all = covered(false);
      const enforced = covered(true);
      if (all === NOT_KNOWN || enforced === NOT_KNOWN) continue;
      const absent = missing(all);
      if (absent.length > 0) {
        report(
          `Cloud Armor policy ${quote(policy.name)} of backend service ${quote(service.name)} denies no preconfigured WAF rule for ` +
            `${joinWords(absent.map(quote))}; add deny(403) rules with evaluatePreconfiguredWaf('<family>-v33-stable', {'sensitivity': 1}).`,
          policy.urn,
        );
        continue;
      }
      const previewed = missing(enforced);
      if (requireEnforced && previewed.length > 0) {
        report(
          `Cloud Armor policy ${quote(policy.name)} of backend service ${quote(service.name)} only previews its WAF rules for ` +
            `${joinWords(previewed.map(quote))}, so attacks reach the servers; set preview to false on those rules.`,
          policy.urn,
        );
      }
    }
  },
};
