/**
 * Values the engine does not know until the update, the way @pulumi/policy handles them.
 *
 * The analyzer hands every policy the resources' properties wrapped in the SDK's unknown-checking proxy:
 * reading a value that is unknown during `pulumi preview` (an output of a resource not created yet) throws
 * UnknownValueError, and the analyzer turns that into an advisory "can't run policy ... during preview"
 * for that policy and resource (@pulumi/policy server.js). Resource policies rely on exactly that: during
 * `pulumi up` the engine checks each resource's inputs before creating it, when they are all known.
 * Where an unknown value still answers the question, a resource policy says so instead of giving up: a
 * reference not known until the update names a resource the stack is creating (`isSet`), so it is set,
 * and it is not the project's default network or service account, which exist already and are named by
 * strings known at preview.
 *
 * Stack policies cannot: the engine runs them once, after the deployment's steps have run (pulumi's
 * pkg/resource/deploy/deployment_executor.go calls AnalyzeResources once the step generator and executor
 * are done), so a stack policy that gave up at preview would stop a bad stack only after it had been built. They read what may be unknown through `known`,
 * which catches the same error for one read, and decide per value.
 *
 * The proxy and its error are the SDK's own; its published declarations leave them out (index.d.ts
 * re-exports them from proxy.d.ts, which declares nothing), hence the casts.
 */
import * as policyRuntime from "@pulumi/policy";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";

const runtime = policyRuntime as unknown as {
  unknownCheckingProxy: <T extends object>(value: T) => T;
  UnknownValueError: new (...args: never[]) => Error;
};

export const unknownCheckingProxy = runtime.unknownCheckingProxy;
export const UnknownValueError = runtime.UnknownValueError;

/** The value the engine puts in place of an output not known during preview (the SDK's string sentinel). */
export const UNKNOWN: string = unknownValue;

/** What `known` returns for a read that met a value not known until the update. */
export const NOT_KNOWN: unique symbol = Symbol("not known until the update");
export type Known<T> = T | typeof NOT_KNOWN;

/** The result of `read`, or NOT_KNOWN when it reads a value unknown during preview. */
export function known<T>(read: () => T): Known<T> {
  try {
    return read();
  } catch (e) {
    if (e instanceof UnknownValueError) return NOT_KNOWN;
    throw e;
  }
}

/**
 * Whether a reference, or a list of them, is set. One not known until the update is: it names a resource
 * the stack is creating.
 */
export function isSet(read: () => string | readonly unknown[] | undefined | null): boolean {
  const value = known(read);
  return value === NOT_KNOWN || (value !== undefined && value !== null && value.length > 0);
}

/**
 * One read per element of a list that may hold values not known yet. Iterating the SDK's proxy (for...of,
 * map, every) reads each element before the loop's body runs, so a single unknown one would throw for
 * the whole list; each of these reads only its own.
 */
export function elementsOf<T>(list: readonly T[]): (() => T)[] {
  return Array.from({ length: list.length }, (_, i) => () => list[i]);
}

/**
 * The analyzer's advisory for a policy that read a value unknown during preview (@pulumi/policy
 * server.js), with the pack as `name@vversion`.
 */
export function cantRunMessage(policy: string, pack: string, error: Error): string {
  return `can't run policy '${policy}' from policy pack '${pack}' during preview: ${error.message}`;
}
