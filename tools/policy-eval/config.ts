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
 * the pack does not have, and a setting a policy's schema does not declare, are errors here. Settings are
 * checked, and their defaults filled in, by ajv against each policy's configSchema.
 */
import * as fs from "fs";
import { EnforcementLevel, Policies, Policy } from "@pulumi/policy";
import Ajv, { ErrorObject, ValidateFunction } from "ajv";

export type { EnforcementLevel };
const ENFORCEMENT_LEVELS: readonly string[] = ["advisory", "mandatory", "remediate", "disabled"];

/** A policy config file's content, as parsed. */
export type PolicyConfigFile = Record<string, unknown>;

/** The level and settings each policy of a pack runs with. */
export interface ResolvedPolicyConfig {
  readonly levels: ReadonlyMap<string, EnforcementLevel>;
  readonly settings: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
}

/** A policy config that cannot be read or does not fit the pack; the message is one line. */
export class PolicyConfigError extends Error {
  name = "PolicyConfigError";
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

function isLevel(value: unknown): value is EnforcementLevel {
  return typeof value === "string" && ENFORCEMENT_LEVELS.includes(value);
}

const LEVELS_TEXT = "advisory, mandatory, remediate or disabled";

/** Reads and parses a policy config file; every failure is a PolicyConfigError naming the file. */
export function loadPolicyConfigFile(source: string): PolicyConfigFile {
  const file = `policy config file ${JSON.stringify(source)}`;
  let text: string;
  try {
    text = fs.readFileSync(source, "utf8");
  } catch (e) {
    const reason =
      (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : oneLine((e as Error).message);
    throw new PolicyConfigError(`cannot read ${file}: ${reason}`);
  }
  // An empty file is an empty config (as the engine allows).
  if (text.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new PolicyConfigError(`${file} is not valid JSON: ${oneLine((e as Error).message)}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new PolicyConfigError(
      `${file} must hold a JSON object mapping policy names (or "all") to levels or settings`,
    );
  }
  const config = { ...(parsed as Record<string, unknown>) };
  // ESC environment references: the engine reads them from the same file; they do not concern the pack.
  const environments = config.environments;
  if (environments !== undefined) {
    if (!Array.isArray(environments) || environments.some((e) => typeof e !== "string")) {
      throw new PolicyConfigError(`${file}: "environments" must be a list of strings`);
    }
    delete config.environments;
  }
  for (const [key, value] of Object.entries(config)) {
    const where = `${file}: ${JSON.stringify(key)}`;
    const entry = typeof value === "object" && value !== null && !Array.isArray(value);
    if (typeof value !== "string" && !entry) {
      throw new PolicyConfigError(
        `${where} must be an enforcement level (${LEVELS_TEXT}) or an object with enforcementLevel and settings, got ${JSON.stringify(value)}`,
      );
    }
    const level = entry ? (value as Record<string, unknown>).enforcementLevel : value;
    if (!isLevel(level) && !(entry && level === undefined)) {
      const what = entry ? "enforcementLevel" : "enforcement level";
      throw new PolicyConfigError(`${where} has ${what} ${JSON.stringify(level)}; use ${LEVELS_TEXT}`);
    }
  }
  return config;
}

// strict: a schema keyword ajv does not know, or a bad type, is an error when the schema is compiled, not a
// silent no-op. That also covers what checking schemas against the meta-schema would, which is skipped: it
// costs about 50 ms at every start of the plan.
const ajv = new Ajv({ useDefaults: true, verbose: true, strict: true, validateSchema: false });
/** Each policy's settings validator: its configSchema as an object schema that allows no other key. */
const validators = new WeakMap<Policy, ValidateFunction>();

/** A policy's settings as its schema's defaults give them (the pack's tests check the defaults validate). */
function defaultsOf(policy: Policy): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(policy.configSchema?.properties ?? {})) {
    const fallback = (property as { default?: unknown }).default;
    if (fallback !== undefined) out[key] = structuredClone(fallback);
  }
  return out;
}

/** Settings are shared by every validation of a policy, so no validation can change another's. */
function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

/** `/exemptions/0/reason` as `exemptions[0].reason`. */
function settingPath(pointer: string): string {
  return pointer
    .replace(/\/(\d+)(?=\/|$)/g, "[$1]")
    .replace(/\//g, ".")
    .replace(/^\./, "");
}

/** One ajv error as one line, naming the setting, what it must be and the value it has. */
function describeError(error: ErrorObject, declared: readonly string[]): string {
  const at = settingPath(error.instancePath);
  const got = `got ${JSON.stringify(error.data)}`;
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties":
      if (at === "") {
        const key = JSON.stringify(p.additionalProperty);
        return declared.length === 0
          ? `takes no settings, got ${key}`
          : `has no setting ${key} (its settings: ${declared.join(", ")})`;
      }
      return `setting ${at}.${String(p.additionalProperty)} is not allowed`;
    case "required":
      return `setting ${at === "" ? "" : `${at}.`}${String(p.missingProperty)} is required`;
    case "type":
      return `setting ${at} must be ${/^[aeiou]/.test(String(p.type)) ? "an" : "a"} ${String(p.type)}, ${got}`;
    case "minimum":
    case "maximum":
      return `setting ${at} must be at ${error.keyword === "minimum" ? "least" : "most"} ${String(p.limit)}, ${got}`;
    case "minLength":
      return `setting ${at} must be at least ${String(p.limit)} characters long`;
    case "enum":
      return `setting ${at} must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}, ${got}`;
    case "pattern":
      return `setting ${at} must match ${String(p.pattern)}, ${got}`;
    default:
      return `setting ${at} ${error.message ?? "is not valid"}, ${got}`;
  }
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
  const stray = Object.keys(config).find((key) => key !== "all" && !names.includes(key));
  if (stray !== undefined) {
    throw new PolicyConfigError(
      `${JSON.stringify(stray)} is not a policy of this pack (its policies are listed in docs/concerns.md)`,
    );
  }
  for (const policy of policies) {
    const entry = config[policy.name];
    let level: EnforcementLevel = policy.enforcementLevel ?? packEnforcementLevel;
    if (isLevel(allLevel)) level = allLevel;
    let given: Record<string, unknown> | undefined;
    if (typeof entry === "string") {
      level = entry as EnforcementLevel;
    } else if (typeof entry === "object" && entry !== null) {
      const { enforcementLevel, ...rest } = entry as Record<string, unknown>;
      if (isLevel(enforcementLevel)) level = enforcementLevel;
      given = structuredClone(rest);
    }
    levels.set(policy.name, level);
    // A policy the config gives no settings runs with its defaults: compiling its schema (a few
    // milliseconds each with ajv) is left for when there is something to check.
    if (given === undefined || Object.keys(given).length === 0) {
      settings.set(policy.name, deepFreeze(defaultsOf(policy)));
      continue;
    }
    let validate = validators.get(policy);
    if (validate === undefined) {
      const { properties = {}, required } = policy.configSchema ?? {};
      validate = ajv.compile({ type: "object", properties, required, additionalProperties: false });
      validators.set(policy, validate);
    }
    if (!validate(given)) {
      const declared = Object.keys(policy.configSchema?.properties ?? {});
      const first = (validate.errors ?? [])[0];
      const problem = describeError(first, declared);
      const joiner = problem.startsWith("setting ") ? ": " : " ";
      throw new PolicyConfigError(`policy ${JSON.stringify(policy.name)}${joiner}${problem}`);
    }
    settings.set(policy.name, deepFreeze(given));
  }
  return { levels, settings };
}
