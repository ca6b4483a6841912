/**
 * Calls policies directly, the way @pulumi/policy's analyzer does, for the pack's own tests: props behind
 * the SDK's unknown-checking proxy (reading an unknown gives the analyzer's "can't run" note), settings
 * from the policy's config schema defaults with the test's overrides, `notApplicable` caught. Enforcement
 * levels are not its business: the evaluator's tests and the real engine in the e2e suite judge those.
 */
import {
  Policy,
  PolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { cantRunMessage, unknownCheckingProxy, UnknownValueError } from "../lib/unknowns";
import { PACK_ID } from "../pack";

/** What one policy said: a violation's message, on a resource (by name) or on the stack (null). */
export interface Finding {
  policy: string;
  resource: string | null;
  type: string | null;
  message: string;
}

/** A resource of a test: plain JSON props, dependencies and parent by name. */
export interface TestResource {
  type: string;
  name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test data is arbitrary JSON
  props: Record<string, any>;
  dependencies?: string[];
  parent?: string;
}

/** Settings by policy name, over the schema defaults. */
export type Settings = Record<string, Record<string, unknown>>;

type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;

function settingsOf(policy: Policy, settings: Settings): Record<string, unknown> {
  const defaults = Object.entries(policy.configSchema?.properties ?? {}).map(([key, schema]) => [
    key,
    structuredClone((schema as { default?: unknown }).default),
  ]);
  return { ...Object.fromEntries(defaults), ...settings[policy.name] };
}

class NotApplicable extends Error {}
const notApplicable = (reason?: string): never => {
  throw new NotApplicable(reason);
};

const tokenOf = (resourceClass: unknown) => (resourceClass as { __pulumiType?: string }).__pulumiType;

/** Runs one validation; what the analyzer makes of its errors becomes findings or nothing. */
function settle(policy: Policy, subject: TestResource | null, found: Finding[], validate: () => unknown) {
  const at = { policy: policy.name, resource: subject?.name ?? null, type: subject?.type ?? null };
  try {
    if (validate() instanceof Promise) throw new Error(`${policy.name} returned a promise`);
  } catch (e) {
    if (e instanceof NotApplicable) return;
    if (!(e instanceof UnknownValueError)) throw e;
    found.push({
      ...at,
      message: cantRunMessage(policy.name, PACK_ID, e),
    });
  }
}

const OPTIONS: PolicyResourceOptions = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

function policyResources(resources: readonly TestResource[]): PolicyResource[] {
  const byName = new Map<string, PolicyResource>();
  for (const r of resources) {
    const props = unknownCheckingProxy(r.props);
    const asType = (resourceClass: unknown) => (tokenOf(resourceClass) === r.type ? props : undefined);
    byName.set(r.name, {
      type: r.type,
      name: r.name,
      urn: `urn:pulumi:test::foobar-web::${r.type}::${r.name}`,
      props,
      opts: OPTIONS,
      dependencies: [],
      propertyDependencies: {},
      isType: (resourceClass) => tokenOf(resourceClass) === r.type,
      asType: asType as PolicyResource["asType"],
    });
  }
  for (const r of resources) {
    const resource = byName.get(r.name) as PolicyResource;
    resource.dependencies = (r.dependencies ?? []).map((d) => byName.get(d) as PolicyResource);
    if (r.parent !== undefined) resource.parent = byName.get(r.parent);
  }
  return [...byName.values()];
}

/** Runs policies over a set of resources: each resource policy on each resource, then each stack policy. */
export function run(
  policies: AnyPolicy | AnyPolicy[],
  resources: TestResource[],
  settings: Settings = {},
): Finding[] {
  const found: Finding[] = [];
  const all = Array.isArray(policies) ? policies : [policies];
  const stack = policyResources(resources);
  for (const policy of all) {
    if (!("validateResource" in policy)) continue;
    const getConfig = <T>() => settingsOf(policy, settings) as T;
    const validations = [policy.validateResource].flat().filter((v) => v !== undefined);
    resources.forEach((resource, i) => {
      const { type, props, urn, name, opts, isType, asType } = stack[i];
      const args: ResourceValidationArgs = {
        ...{ type, props, urn, name, opts, isType, stackTags: new Map(), getConfig, notApplicable },
        asType: asType as ResourceValidationArgs["asType"],
      };
      const report: ReportViolation = (message) =>
        found.push({ policy: policy.name, resource: resource.name, type: resource.type, message });
      for (const validate of validations) {
        const token = (validate as { __pulumiType?: string }).__pulumiType;
        if (token === undefined || token === resource.type)
          settle(policy, resource, found, () => validate(args, report));
      }
    });
  }
  for (const policy of all) {
    if (!("validateStack" in policy)) continue;
    const byUrn = new Map(stack.map((r, i) => [r.urn, resources[i]]));
    const args: StackValidationArgs = {
      resources: stack,
      stackTags: new Map(),
      getConfig: <T>() => settingsOf(policy, settings) as T,
      notApplicable,
    };
    const report: ReportViolation = (message, urn) => {
      const resource = urn !== undefined ? byUrn.get(urn) : undefined;
      found.push({
        policy: policy.name,
        resource: resource?.name ?? null,
        type: resource?.type ?? null,
        message,
      });
    };
    settle(policy, null, found, () => policy.validateStack(args, report));
  }
  return found;
}

/** Runs a policy on one resource (named "subject" unless said otherwise). */
export function runOn(
  policy: AnyPolicy,
  type: string,
  props: TestResource["props"],
  options: { name?: string; settings?: Settings } = {},
): Finding[] {
  return run(policy, [{ type, name: options.name ?? "subject", props }], options.settings);
}

/** The finding a policy reports on a resource (or on the stack, with resource null). */
export function violation(
  policy: Policy,
  resource: { name: string; type: string } | null,
  message: string,
): Finding {
  return { policy: policy.name, resource: resource?.name ?? null, type: resource?.type ?? null, message };
}

/** The analyzer's note for a resource policy that read `path`, unknown during preview. */
export function cantRun(policy: Policy, resource: { name: string; type: string }, path: string): Finding {
  return violation(
    policy,
    resource,
    `can't run policy '${policy.name}' from policy pack '${PACK_ID}' during preview: string value at .${path} can't be known during preview`,
  );
}
