/**
 * Runs a pack's policies over a set of resources the way the Pulumi engine and @pulumi/policy's analyzer
 * do, without a deployment: for the check-policies CLI, the tests and the offline plan.
 *
 * - Every resource policy runs on every resource, one validation at a time; `notApplicable` throws and is
 *   caught per validation; a validation whose type token does not match the resource is skipped unrun.
 * - Every stack policy runs once over the whole set, with the props as the resources' outputs and with
 *   `dependencies` and `parent` turned into references to the other resources.
 * - Properties holding a value unknown during preview are wrapped in @pulumi/policy's unknown-checking
 *   proxy: a policy that reads one gets the engine's advisory "can't run policy ... during preview"
 *   result. Properties without one are handed over as they are, since no read of them can throw: the
 *   proxy makes a new proxy and path on every read, and a stack export or the offline plan has no
 *   unknowns at all.
 * - Levels and settings come from the policy config (see config.ts); disabled policies do not run,
 *   "remediate" reports as mandatory (the pack has no remediations).
 *
 * Where the engine prefixes a violation's message with the policy's description, a Violation here keeps the
 * policy's own message (the description is on the policy, by name).
 */
import {
  Policies,
  PolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidation,
  ResourceValidationArgs,
} from "@pulumi/policy";
import { EnforcementLevel, PolicyConfigFile, ResolvedPolicyConfig, resolvePolicyConfig } from "./config";
import * as policyProxy from "@pulumi/policy/proxy";
import { cantRunMessage, unknownCheckingProxy, UnknownValueError } from "../../policies/lib/unknowns";
import { PACK_ID } from "../../policies/pack";

/** A resource as check-policies reads it: its props are both its inputs and its outputs. */
export interface StackResource {
  /** The Pulumi type token, e.g. `gcp:compute/firewall:Firewall`. */
  type: string;
  /** The resource's name, unique in the set. */
  name: string;
  /** Inputs exactly as passed to the provider (camelCase). */
  props: Record<string, unknown>;
  /** Names of the resources this one depends on. */
  dependencies?: string[];
  /** Name of the parent resource (a component). */
  parent?: string;
  /** The URN, when known; otherwise one is made from the project, stack, parent types and name. */
  urn?: string;
}

export interface Violation {
  policy: string;
  /** The resource's name, or null for a stack-wide violation. */
  resource: string | null;
  /** The resource's type token, or null for a stack-wide violation. */
  type: string | null;
  enforcementLevel: "advisory" | "mandatory";
  message: string;
}

export interface EvaluateOptions {
  /** Used in URNs (of project foobar-web). Default "dev". */
  stack?: string;
  /** The level of policies the config says nothing about. Default "advisory". */
  packEnforcementLevel?: EnforcementLevel;
}

/** A resource set the evaluator cannot work with (duplicate names, unknown references...). */
export class PolicyInputError extends Error {
  name = "PolicyInputError";
}

/** A policy that threw something other than notApplicable or an unknown value (a bug in the policy). */
export class PolicyEvaluationError extends Error {
  name = "PolicyEvaluationError";
}

class NotApplicableError extends Error {}

function notApplicable(reason?: string): never {
  throw new NotApplicableError(reason ?? "Policy does not apply");
}

const noTags: ReadonlyMap<string, string> = new Map();

function pulumiTypeOf(value: unknown): string | undefined {
  const token = (value as { __pulumiType?: unknown } | undefined)?.__pulumiType;
  return typeof token === "string" && token !== "" ? token : undefined;
}

function isTypeOf(type: string, resourceClass: unknown): boolean {
  const token = pulumiTypeOf(resourceClass);
  if (token) return token === type;
  const isInstance = (resourceClass as { isInstance?: (o: unknown) => boolean }).isInstance;
  return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

/** The SDK's sentinels for values unknown during preview, one per type, read from its own module. */
const UNKNOWNS: ReadonlySet<unknown> = new Set(
  Object.entries(policyProxy as unknown as Record<string, unknown>)
    .filter(([name]) => /^unknown\w+Value$/.test(name))
    .map(([, value]) => value),
);

/** Whether a value, or anything inside it, is unknown during preview. */
function holdsUnknown(value: unknown): boolean {
  if (typeof value === "string") return UNKNOWNS.has(value);
  if (typeof value !== "object" || value === null) return false;
  return Object.values(value).some(holdsUnknown);
}

/** Checks the set's shape and makes each resource's URN; throws PolicyInputError. */
function urnsOf(resources: readonly StackResource[], stack: string): Map<string, string> {
  const byName = new Map<string, StackResource>();
  for (const r of resources) {
    if (typeof r.name !== "string" || r.name === "") throw new PolicyInputError("a resource has no name");
    if (typeof r.type !== "string" || r.type === "") {
      throw new PolicyInputError(`resource ${JSON.stringify(r.name)} has no type`);
    }
    if (byName.has(r.name)) throw new PolicyInputError(`two resources are named ${JSON.stringify(r.name)}`);
    byName.set(r.name, r);
  }
  const check = (r: StackResource, what: string, name: string) => {
    if (byName.has(name)) return;
    throw new PolicyInputError(
      `the ${what} ${JSON.stringify(name)} of ${JSON.stringify(r.name)} is not in the set`,
    );
  };
  for (const r of resources) {
    if (r.parent !== undefined) check(r, "parent", r.parent);
    for (const d of r.dependencies ?? []) check(r, "dependency", d);
  }
  // Type chains (`parentType$type`) memoised per resource, so deep trees cost one step per resource.
  const chains = new Map<string, string>();
  // A chain longer than the set has resources goes round a cycle.
  const typeChain = (r: StackResource, depth: number, start: string): string => {
    const known = chains.get(r.name);
    if (known !== undefined) return known;
    if (depth > resources.length) throw new PolicyInputError(`${JSON.stringify(start)} is its own ancestor`);
    const chain =
      r.parent === undefined
        ? r.type
        : `${typeChain(byName.get(r.parent) as StackResource, depth + 1, start)}$${r.type}`;
    chains.set(r.name, chain);
    return chain;
  };
  const urns = new Map<string, string>();
  for (const r of resources) {
    urns.set(r.name, r.urn ?? `urn:pulumi:${stack}::foobar-web::${typeChain(r, 0, r.name)}::${r.name}`);
  }
  return urns;
}

/**
 * A resource as a validation sees it: its type, props, URN, name and options, with `isType` and `asType`.
 * Methods sit on the prototype, since a stack can hold thousands of resources.
 */
class ResourceView {
  constructor(
    readonly type: string,
    readonly props: Record<string, unknown>,
    readonly urn: string,
    readonly name: string,
    readonly opts: PolicyResourceOptions,
  ) {}
  declare asType: PolicyResource["asType"];
  isType(resourceClass: unknown): boolean {
    return isTypeOf(this.type, resourceClass);
  }
}
ResourceView.prototype.asType = function (this: ResourceView, resourceClass: unknown) {
  return isTypeOf(this.type, resourceClass) ? this.props : undefined;
} as PolicyResource["asType"];

/** A resource as stack policies see it: linked to its parent and dependencies. */
class StackPolicyResource extends ResourceView implements PolicyResource {
  parent?: PolicyResource;
  dependencies: PolicyResource[] = [];
  propertyDependencies: Record<string, PolicyResource[]> = {};
}

/** The resource options the engine passes; check-policies input has none but the parent. */
const DEFAULT_OPTIONS: PolicyResourceOptions = Object.freeze({
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
});

function optionsOf(resource: StackResource, urns: ReadonlyMap<string, string>): PolicyResourceOptions {
  return resource.parent === undefined
    ? DEFAULT_OPTIONS
    : { ...DEFAULT_OPTIONS, parent: urns.get(resource.parent) };
}

interface Prepared {
  name: string;
  description: string;
  level: "advisory" | "mandatory";
  settings: Readonly<Record<string, unknown>>;
}

/**
 * Runs `policies` over `resources` with `config` (a parsed policy config file, or one already resolved with
 * resolvePolicyConfig) and returns every violation, resource policies first (resource by resource), then
 * stack policies. Throws PolicyConfigError, PolicyInputError or PolicyEvaluationError.
 */
export function evaluatePolicies(
  policies: Policies,
  resources: readonly StackResource[],
  config?: PolicyConfigFile | ResolvedPolicyConfig,
  options: EvaluateOptions = {},
): Violation[] {
  const resolved =
    config?.levels instanceof Map && config.settings instanceof Map
      ? (config as ResolvedPolicyConfig)
      : resolvePolicyConfig(policies, config as PolicyConfigFile, options.packEnforcementLevel ?? "advisory");
  const urns = urnsOf(resources, options.stack ?? "dev");
  const violations: Violation[] = [];

  const prepare = (policy: Policies[number]): Prepared | undefined => {
    const level = resolved.levels.get(policy.name) ?? options.packEnforcementLevel ?? "advisory";
    if (level === "disabled") return undefined;
    return {
      name: policy.name,
      description: policy.description,
      level: level === "advisory" ? "advisory" : "mandatory",
      settings: resolved.settings.get(policy.name) ?? {},
    };
  };

  // Resource policies, grouped by the type token their validations carry so each resource meets only its own.
  type Entry = { policy: Prepared; validate: ResourceValidation };
  const byType = new Map<string, Entry[]>();
  const anyType: Entry[] = [];
  for (const policy of policies) {
    if (!("validateResource" in policy) || policy.validateResource === undefined) continue;
    const prepared = prepare(policy);
    if (!prepared) continue;
    const validations = Array.isArray(policy.validateResource)
      ? policy.validateResource
      : [policy.validateResource];
    for (const validate of validations) {
      const token = pulumiTypeOf(validate);
      if (token === undefined) anyType.push({ policy: prepared, validate });
      else byType.set(token, [...(byType.get(token) ?? []), { policy: prepared, validate }]);
    }
  }
  // One argument bag per resource, shared by its validations (they run one at a time and only read it).
  // The functions every validation gets are made once, not per resource (a stack holds thousands), and
  // read `subject`, the resource being validated (null for the stack), and `current`, the policy being run.
  const propsOf: Record<string, unknown>[] = [];
  const byUrn = new Map<string, StackResource>();
  let subject: StackResource | null = null;
  let current = undefined as unknown as Prepared;
  const report: ReportViolation = (message: string, urn?: string) => {
    // A stack policy names the resource a violation is about by its URN.
    const on = subject ?? (urn !== undefined ? byUrn.get(urn) : undefined);
    violations.push({
      policy: current.name,
      resource: on?.name ?? null,
      type: on?.type ?? null,
      enforcementLevel: current.level,
      message: message || current.description,
    });
  };
  const getConfig = <T extends object>() => current.settings as T;
  /**
   * Runs one validation the way the engine does: `notApplicable` skips it, reading a value unknown during
   * preview gives the advisory "can't run" result, and a returned promise or any other error is a bug in
   * the policy.
   */
  const settle = <A>(validate: (args: A, report: ReportViolation) => unknown, args: A): void => {
    try {
      if (typeof (validate(args, report) as { then?: unknown } | undefined)?.then === "function") {
        throw new Error("it returned a promise; evaluatePolicies runs synchronous validations only");
      }
    } catch (e) {
      if (e instanceof NotApplicableError) return;
      if (e instanceof UnknownValueError) {
        violations.push({
          policy: current.name,
          resource: subject?.name ?? null,
          type: subject?.type ?? null,
          enforcementLevel: "advisory",
          message: cantRunMessage(current.name, PACK_ID, e),
        });
        return;
      }
      // Policies read typed props: on input not shaped like the provider's types they fail, and say where.
      const where = subject ? `resource ${JSON.stringify(subject.name)} (a ${subject.type})` : "the stack";
      throw new PolicyEvaluationError(
        `policy ${JSON.stringify(current.name)} failed on ${where}: ${(e as Error).message}; ` +
          "are its props shaped as @pulumi/gcp types them?",
      );
    }
  };
  // One argument bag per resource; what every bag shares sits on the prototype.
  class Args extends ResourceView {
    // The same function as the base's; the two SDK interfaces type its result differently.
    declare asType: PolicyResource["asType"] & ResourceValidationArgs["asType"];
    declare stackTags: ReadonlyMap<string, string>;
    declare getConfig: ResourceValidationArgs["getConfig"];
    declare notApplicable: ResourceValidationArgs["notApplicable"];
  }
  Object.assign(Args.prototype, { stackTags: noTags, getConfig, notApplicable });
  for (const resource of resources) {
    // The props a policy reads: behind the SDK's unknown-checking proxy when some value is unknown.
    const given = resource.props ?? {};
    const props = holdsUnknown(given) ? unknownCheckingProxy(given) : given;
    propsOf.push(props);
    const typed = byType.get(resource.type);
    if (typed === undefined && anyType.length === 0) continue;
    const entries = typed === undefined ? anyType : anyType.length === 0 ? typed : [...typed, ...anyType];
    const args: ResourceValidationArgs = new Args(
      resource.type,
      props,
      urns.get(resource.name) as string,
      resource.name,
      optionsOf(resource, urns),
    );
    subject = resource;
    for (const { policy, validate } of entries) {
      current = policy;
      settle(validate, args);
    }
  }
  subject = null;

  // Stack policies: one resource list, shared by all of them (policies only read it).
  const stackPolicies = policies.filter(
    (p): p is Extract<Policies[number], { validateStack: unknown }> =>
      "validateStack" in p && typeof p.validateStack === "function",
  );
  if (stackPolicies.length === 0) return violations;
  const views = new Map<string, PolicyResource>();
  resources.forEach((r, i) => {
    const urn = urns.get(r.name) as string;
    byUrn.set(urn, r);
    views.set(r.name, new StackPolicyResource(r.type, propsOf[i], urn, r.name, optionsOf(r, urns)));
  });
  for (const r of resources) {
    const view = views.get(r.name) as PolicyResource;
    if (r.parent !== undefined) view.parent = views.get(r.parent);
    view.dependencies = (r.dependencies ?? []).map((d) => views.get(d) as PolicyResource);
  }
  const stackArgs = { resources: [...views.values()], stackTags: noTags, getConfig, notApplicable };
  const typesPresent = new Set(resources.map((r) => r.type));
  for (const policy of stackPolicies) {
    const prepared = prepare(policy);
    const token = pulumiTypeOf(policy.validateStack);
    if (!prepared || (token !== undefined && !typesPresent.has(token))) continue;
    current = prepared;
    settle(policy.validateStack, stackArgs);
  }
  return violations;
}

/** True when a violation blocks a deployment. */
export function hasMandatoryViolation(violations: readonly Violation[]): boolean {
  return violations.some((v) => v.enforcementLevel === "mandatory");
}
