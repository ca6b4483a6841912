/** check-policies' three outputs: text for people, JSON for scripts, SARIF 2.1.0 for code-scanning dashboards. */
import type * as sarif from "sarif";
import { Policies, Policy } from "@pulumi/policy";
import { Violation } from "../evaluate";
import { concernOf } from "../../../policies/concerns";
import { parseWaiverMessage, WAIVED_FINDINGS_POLICY } from "../../../policies/lib/exemptions";

export const OUTPUT_FORMATS = ["text", "json", "sarif"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface Verdict {
  violations: Violation[];
  /** The policy config the levels came from, or null for the pack's defaults. */
  policyConfig: string | null;
}

/** One block per violation, mandatory first, and a closing line with the counts. */
export function renderText(verdict: Verdict): string {
  const config = verdict.policyConfig ?? "the pack's defaults (every policy mandatory)";
  if (verdict.violations.length === 0) return `No violations, under ${config}.\n`;
  const ordered = [...verdict.violations].sort(
    (a, b) => Number(b.enforcementLevel === "mandatory") - Number(a.enforcementLevel === "mandatory"),
  );
  const blocks = ordered.map(
    (v) =>
      `${v.enforcementLevel.toUpperCase()}  ${v.policy}  ${v.resource === null ? "(the stack)" : `${v.type} ${v.resource}`}\n` +
      `  ${v.message}\n`,
  );
  const mandatory = ordered.filter((v) => v.enforcementLevel === "mandatory").length;
  const counts = `${mandatory} mandatory and ${ordered.length - mandatory} advisory`;
  return `${blocks.join("\n")}\n${counts} violations, under ${config}.\n`;
}

export function renderJson(verdict: Verdict): string {
  return `${JSON.stringify({ violations: verdict.violations }, null, 2)}\n`;
}

/** GitHub's scale for `security-severity`: low below 4, medium below 7, high below 9, critical above. */
const SECURITY_SEVERITY: Record<string, string> = { low: "3.0", medium: "5.5", high: "8.0", critical: "9.5" };

/** What a policy requires: its description without the concern's title that opens it (`Hardening: ...`). */
export function requirementOf(policy: Policy): string {
  const description = policy.description ?? policy.name;
  const title = concernOf(policy)?.title;
  return title && description.startsWith(`${title}: `) ? description.slice(title.length + 2) : description;
}

function rule(policy: Policy): sarif.ReportingDescriptor {
  const description = policy.description ?? policy.name;
  // The requirement's first sentence, up to the first full stop.
  const statement = requirementOf(policy);
  const sentence = /^.*?\.(?=\s|$)/s.exec(statement)?.[0] ?? statement;
  return {
    id: policy.name,
    shortDescription: { text: sentence.charAt(0).toUpperCase() + sentence.slice(1) },
    fullDescription: { text: description },
    help: { text: policy.remediationSteps ?? description },
    helpUri: policy.url,
    properties: {
      "security-severity": SECURITY_SEVERITY[policy.severity ?? "medium"],
      tags: ["security", ...(policy.tags ?? [])],
    },
  };
}

function locationOf(v: Violation): sarif.Location {
  return {
    logicalLocations:
      v.resource === null
        ? [{ name: "stack", kind: "module" }]
        : [{ name: v.resource, fullyQualifiedName: `${v.type}::${v.resource}`, kind: "resource" }],
  };
}

/**
 * A SARIF 2.1.0 log: every policy of the pack as a rule, every violation as a result located at its
 * resource (a logical location: the resource's URN, or the stack for a stack-wide finding). A waived
 * finding is a result of the policy it breaks, suppressed (`kind: external`, `status: accepted`) with the
 * waiver's reason as its justification, which code-scanning dashboards show as dismissed.
 */
export function renderSarif(verdict: Verdict, policies: Policies, version: string): string {
  const index = new Map(policies.map((p, i) => [p.name, i]));
  const results: sarif.Result[] = verdict.violations.map((v) => {
    // A waiver is a dismissed result only while its report stays advisory; a config that makes the report
    // mandatory blocks on waivers, and so does the SARIF then.
    const waiver =
      v.policy === WAIVED_FINDINGS_POLICY && v.enforcementLevel === "advisory"
        ? parseWaiverMessage(v.message)
        : undefined;
    const ruleId = waiver?.policy ?? v.policy;
    return {
      ruleId,
      ruleIndex: index.get(ruleId) ?? -1,
      level: v.enforcementLevel === "mandatory" ? "error" : "warning",
      message: { text: waiver?.finding ?? v.message },
      locations: [locationOf(v)],
      ...(waiver && {
        suppressions: [
          {
            kind: "external",
            status: "accepted",
            justification: waiver.reason,
            ...(waiver.expires ? { properties: { expires: waiver.expires } } : {}),
          },
        ],
      }),
    };
  });
  const log: sarif.Log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "foobar-web policy pack", version, rules: policies.map(rule) } },
        results,
        ...(verdict.policyConfig ? { properties: { policyConfig: verdict.policyConfig } } : {}),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
