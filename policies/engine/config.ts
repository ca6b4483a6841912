/**
 * Policy config files, as `pulumi preview --policy-pack-config <file>` reads them:
 *
 *   { "all": "mandatory",
 *     "<policy name>": "advisory" | "mandatory" | "remediate" | "disabled",
 *     "<policy name>": { "enforcementLevel": "...", "<setting>": <value>, ... } }
 *
 * Resolution follows the engine (pulumi/pkg resource/analyzer/config.go and @pulumi/policy server.ts): each
 * policy starts from its own level (or the pack's) and its configSchema defaults, "all" sets every level,
 * then a policy's own entry sets its level and settings; the result is checked against each configSchema.
 * Two checks go further than the engine, so that a typo cannot silently switch a check off: a policy name
 * the pack does not have, and a setting a policy's schema does not declare, are errors here.
 */
import * as fs from "fs";
import { Policies, PolicyConfigSchema } from "@pulumi/policy";
import { checkSchema } from "./schema";

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = [
  "advisory",
  "mandatory",
  "remediate",
  "disabled",
];

/** A policy config file's content, as parsed. */
export type PolicyConfigFile = Record<string, unknown>;

/** The level and settings each policy of a pack runs with. */
export interface ResolvedPolicyConfig {
  readonly levels: ReadonlyMap<string, EnforcementLevel>;
  readonly settings: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
}

/** A policy config that cannot be read or does not fit the pack; the message is one line. */
export class PolicyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyConfigError";
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

function isLevel(value: unknown): value is EnforcementLevel {
  return typeof value === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(value);
}

const LEVELS_TEXT = "advisory, mandatory, remediate or disabled";

/**
 * Parses a policy config file's text. An empty file is an empty config (as the engine allows).
 * `source` names the file in error messages.
 */
export function parsePolicyConfig(text: string, source: string): PolicyConfigFile {
  if (text.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new PolicyConfigError(
      `policy config file ${JSON.stringify(source)} is not valid JSON: ${oneLine((e as Error).message)}`,
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new PolicyConfigError(
      `policy config file ${JSON.stringify(source)} must hold a JSON object mapping policy names (or "all") to levels or settings`,
    );
  }
  const config = { ...(parsed as Record<string, unknown>) };
  // ESC environment references: the engine reads them from the same file; they do not concern the pack.
  const environments = config.environments;
  if (environments !== undefined) {
    if (!Array.isArray(environments) || environments.some((e) => typeof e !== "string")) {
      throw new PolicyConfigError(
        `policy config file ${JSON.stringify(source)}: "environments" must be a list of strings`,
      );
    }
    delete config.environments;
  }
  for (const [key, value] of Object.entries(config)) {
    const where = `policy config file ${JSON.stringify(source)}: ${JSON.stringify(key)}`;
    if (typeof value === "string") {
      if (!isLevel(value)) {
        throw new PolicyConfigError(
          `${where} has enforcement level ${JSON.stringify(value)}; use ${LEVELS_TEXT}`,
        );
      }
    } else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      const level = (value as Record<string, unknown>).enforcementLevel;
      if (level !== undefined && !isLevel(level)) {
        throw new PolicyConfigError(
          `${where} has enforcementLevel ${JSON.stringify(level)}; use ${LEVELS_TEXT}`,
        );
      }
    } else {
      throw new PolicyConfigError(
        `${where} must be an enforcement level (${LEVELS_TEXT}) or an object with enforcementLevel and settings, got ${JSON.stringify(value)}`,
      );
    }
  }
  return config;
}

/** Reads and parses a policy config file; every failure is a PolicyConfigError naming the file. */
export function loadPolicyConfigFile(path: string): PolicyConfigFile {
  let text: string;
  try {
    text = fs.readFileSync(path, "utf8");
  } catch (e) {
    const reason =
      (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : oneLine((e as Error).message);
    throw new PolicyConfigError(`cannot read policy config file ${JSON.stringify(path)}: ${reason}`);
  }
  return parsePolicyConfig(text, path);
}

/** The closest known name to a misspelt one, if it is close enough to be a likely typo. */
function closest(name: string, known: readonly string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let diagonal = row[0];
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const above = row[j];
        row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
        diagonal = above;
      }
    }
    return row[b.length];
  };
  let best: string | undefined;
  let bestDistance = Math.max(3, Math.floor(name.length / 4)) + 1;
  for (const candidate of known) {
    const d = distance(name, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function defaultsOf(schema: PolicyConfigSchema | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(schema?.properties ?? {})) {
    if (typeof property === "object" && property.default !== undefined) {
      out[key] = structuredClone(property.default);
    }
  }
  return out;
}

/**
 * The level and settings of every policy of `policies` under `config` (a parsed policy config file).
 * Throws PolicyConfigError, with a one-line message, when the config does not fit the pack.
 */
export function resolvePolicyConfig(
  policies: Policies,
  config: PolicyConfigFile = {},
  packEnforcementLevel: EnforcementLevel = "advisory",
): ResolvedPolicyConfig {
  const names = policies.map((p) => p.name);
  const levels = new Map<string, EnforcementLevel>();
  const settings = new Map<string, Record<string, unknown>>();
  const all = config.all;
  const allLevel =
    typeof all === "string" ? all : (all as { enforcementLevel?: unknown } | undefined)?.enforcementLevel;
  if (all !== undefined && !isLevel(allLevel)) {
    throw new PolicyConfigError(`"all" must set an enforcement level (${LEVELS_TEXT})`);
  }
  if (typeof all === "object" && all !== null && Object.keys(all).some((k) => k !== "enforcementLevel")) {
    throw new PolicyConfigError(
      `"all" can only set enforcementLevel; put settings under the policy they belong to`,
    );
  }
  for (const key of Object.keys(config)) {
    if (key === "all" || names.includes(key)) continue;
    const guess = closest(key, names);
    throw new PolicyConfigError(
      `${JSON.stringify(key)} is not a policy of this pack${guess ? ` (did you mean ${JSON.stringify(guess)}?)` : ""}`,
    );
  }
  for (const policy of policies) {
    const entry = config[policy.name];
    let level: EnforcementLevel = policy.enforcementLevel ?? packEnforcementLevel;
    if (isLevel(allLevel)) level = allLevel;
    const values = defaultsOf(policy.configSchema);
    if (typeof entry === "string") {
      level = entry as EnforcementLevel;
    } else if (typeof entry === "object" && entry !== null) {
      const { enforcementLevel, ...given } = entry as Record<string, unknown>;
      if (isLevel(enforcementLevel)) level = enforcementLevel;
      const declared = Object.keys(policy.configSchema?.properties ?? {});
      for (const key of Object.keys(given)) {
        if (declared.includes(key)) continue;
        throw new PolicyConfigError(
          declared.length === 0
            ? `policy ${JSON.stringify(policy.name)} takes no settings, got ${JSON.stringify(key)}`
            : `policy ${JSON.stringify(policy.name)} has no setting ${JSON.stringify(key)} (its settings: ${declared.join(", ")})`,
        );
      }
      Object.assign(values, given);
    }
    if (policy.configSchema) {
      const errors = checkSchema(
        values,
        {
          type: "object",
          properties: policy.configSchema.properties,
          required: policy.configSchema.required,
        },
        "config",
      );
      if (errors.length > 0) {
        throw new PolicyConfigError(
          `policy ${JSON.stringify(policy.name)}: ${errors[0].replace(/^config\./, "setting ")}`,
        );
      }
    }
    levels.set(policy.name, level);
    settings.set(policy.name, values);
  }
  return { levels, settings };
}
