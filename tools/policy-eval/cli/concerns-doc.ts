/**
 * Writes docs/concerns.md from the pack itself: the concerns (concerns.ts), the policies answering each
 * (their `concern:` tags), their descriptions, severities, settings, remediation steps and documentation
 * links, and the committed policy configs. `npm run docs` (write-concerns-doc.ts) rewrites the page; a test
 * fails when the committed page differs from what this renders, so the page cannot drift from the pack.
 */
import * as fs from "fs";
import * as path from "path";
import { Policy } from "@pulumi/policy";
import * as prettier from "prettier";
import { concerns, policiesAnswering } from "../../../policies/concerns";
import { projectRootFrom } from "../../../config/stackFiles";
import { loadPolicyConfigFile, PolicyConfigFile } from "../config";
import { WAIVED_FINDINGS_POLICY } from "../../../policies/lib/exemptions";
import { PACK_ENFORCEMENT_LEVEL, packPolicies } from "../../../policies/pack";
import { requirementOf } from "./formats";

const ROOT = projectRootFrom(__dirname);
export const CONCERNS_DOC_PATH = path.join(ROOT, "docs", "concerns.md");
const CONFIG_DIR = path.join(ROOT, "policies", "config");

/** The committed policy configs, by stack name (dev.json → dev), in name order. */
function committedConfigs(): [string, PolicyConfigFile][] {
  return fs
    .readdirSync(CONFIG_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => [path.basename(f, ".json"), loadPolicyConfigFile(path.join(CONFIG_DIR, f))]);
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
const json = (value: unknown) => JSON.stringify(value);

/** A policy's settings with their defaults, and the value each committed config gives them where it differs. */
function settings(policy: Policy, configs: [string, PolicyConfigFile][]): string {
  const properties = Object.entries(policy.configSchema?.properties ?? {}).filter(
    ([key]) => key !== "exemptions",
  );
  if (properties.length === 0) return "none";
  return properties
    .map(([key, schema]) => {
      const fallback = (schema as { default?: unknown }).default;
      const overrides = configs.flatMap(([stack, config]) => {
        const entry = config[policy.name];
        const value =
          typeof entry === "object" && entry !== null ? (entry as Record<string, unknown>)[key] : undefined;
        return value === undefined || json(value) === json(fallback) ? [] : [`${json(value)} in ${stack}`];
      });
      return `\`${key}\` (${[json(fallback), ...overrides].join("; ")})`;
    })
    .join(", ");
}

const kind = (policy: Policy) => ("validateStack" in policy ? "stack" : "resource");

function levelsOf(config: PolicyConfigFile): string {
  const all = typeof config.all === "string" ? config.all : PACK_ENFORCEMENT_LEVEL;
  const exceptions = Object.entries(config)
    .map(([name, entry]): [string, unknown] => [
      name,
      typeof entry === "string" ? entry : (entry as Record<string, unknown> | null)?.enforcementLevel,
    ])
    .filter(([name, level]) => name !== "all" && typeof level === "string" && level !== all)
    .map(([name, level]) => `\`${name}\` ${level}`);
  return `every policy \`${all}\`${exceptions.length ? ` except ${exceptions.join(", ")}` : ""}`;
}

function settingsOf(config: PolicyConfigFile): string {
  const set = Object.entries(config).flatMap(([name, entry]) =>
    typeof entry === "object" && entry !== null
      ? Object.entries(entry)
          .filter(([key]) => key !== "enforcementLevel")
          .map(([key, value]) => `\`${name}\`: \`${key}\` ${json(value)}`)
      : [],
  );
  return set.length ? set.join("; ") : "the defaults";
}

function concernSection(concern: (typeof concerns)[number], configs: [string, PolicyConfigFile][]): string[] {
  const names = policiesAnswering(concern, packPolicies);
  const policies = names.map((name) => packPolicies.find((p) => p.name === name) as Policy);
  return [
    `## ${concern.title}`,
    "",
    `Concern id: \`${concern.id}\` (policies in \`policies/${concern.id}/\`).`,
    "",
    `**Risk in the design.** ${concern.risk}`,
    "",
    `**What the program does.** ${concern.programDoes}`,
    "",
    "| Policy | Kind | Severity | Requires | Settings (default) |",
    "| --- | --- | --- | --- | --- |",
    ...policies.map(
      (p) =>
        `| \`${p.name}\` | ${kind(p)} | ${p.severity} | ${cell(requirementOf(p))} | ${cell(settings(p, configs))} |`,
    ),
    "",
    "How to fix a finding:",
    "",
    ...policies.map((p) => `- \`${p.name}\`: ${p.remediationSteps} ([documentation](${p.url}))`),
    "",
  ];
}

/** The page, formatted as `npm run format` would leave it. */
export async function renderConcernsDoc(): Promise<string> {
  const configs = committedConfigs();
  const waived = packPolicies.find((p) => p.name === WAIVED_FINDINGS_POLICY) as Policy;
  const lines = [
    "# Concerns of the design and the policies that check them",
    "",
    "<!-- Written by `npm run docs` from the policy pack and policies/config/; edit those, not this page. -->",
    "",
    "The design of www.foobar.com (the five write-ups in `shared/seeds/`) names its own weak spots. This page maps",
    "each of them to what the program does about it and to the policies of the CrossGuard pack in `policies/` that",
    "check it on every `pulumi preview --policy-pack policies`. Each policy carries the concern it answers as a",
    "`concern:<id>` tag, with a severity, remediation steps and a documentation link, in @pulumi/policy's own",
    "fields; this page, the offline plan's concern report and `check-policies --format sarif` all read them there.",
    "",
    "A **resource** policy looks at one resource's inputs; a **stack** policy looks at the whole stack (outputs,",
    "dependencies and parents), for requirements that span resources (for example which firewall rules reach a VM,",
    "or how many zones a backend pool spans). During `pulumi preview`, values not known yet (outputs of resources",
    "still to be created) never produce a violation: a policy that cannot tell stays silent on that point.",
    "",
    "## Enforcement per environment",
    "",
    "The levels come from each stack's policy config file, committed in `policies/config/`:",
    "",
    "| Stack | File | Levels | Settings |",
    "| --- | --- | --- | --- |",
    ...configs.map(
      ([stack, config]) =>
        `| ${stack} | \`policies/config/${stack}.json\` | ${cell(levelsOf(config))} | ${cell(settingsOf(config))} |`,
    ),
    "",
    "The file format is Pulumi's: `\"all\"` sets every policy's level, and a policy's own entry overrides it, either",
    "as a level or as an object with `enforcementLevel` and the policy's settings. Levels are `advisory`,",
    "`mandatory`, `remediate` (reported as mandatory: the pack has no remediations) and `disabled`. A policy the",
    `config does not mention, and every policy of a stack with no config, runs at the pack's level, \`${PACK_ENFORCEMENT_LEVEL}\`:`,
    "a new environment fails closed. Unknown policy names, unknown settings and values outside a setting's",
    "schema are refused by `check-policies` and the offline plan (the Pulumi engine itself checks only the schema).",
    "",
    "Any policy's entry may also hold `exemptions`: waivers of that policy for named resources, each with a",
    "`reason` and an optional `expires` date (see `policies/README.md`).",
    "",
    "## Waived findings",
    "",
    `\`${waived.name}\` (${kind(waived)}, ${waived.severity}): ${requirementOf(waived)}`,
    "",
    ...concerns.flatMap((c) => concernSection(c, configs)),
  ];
  const options = await prettier.resolveConfig(CONCERNS_DOC_PATH);
  return prettier.format(lines.join("\n"), { ...options, parser: "markdown" });
}
