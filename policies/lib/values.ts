/**
 * Reading resource properties the way a policy must: defensively and with preview unknowns in mind.
 *
 * The engine hands policies the resource's properties wrapped in @pulumi/policy's unknown-checking proxy:
 * reading a property whose value is not known yet during `pulumi preview` (an output of a resource that
 * has not been created) throws, and the engine turns that into a "can't run policy during preview"
 * diagnostic for the whole policy. Our policies decide per field instead: they read the raw values (the
 * proxy only traps `get`, so property descriptors expose the target unchanged), treat the engine's unknown
 * sentinels as "cannot know", and never report a violation that depends on such a value.
 *
 * The check-policies CLI feeds policies arbitrary JSON, so every read also checks the value's type.
 */
import * as policyProxy from "@pulumi/policy/proxy";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";

/**
 * The sentinels the engine puts where a value is unknown during preview, one per type, as @pulumi/policy's
 * proxy module exports them (its published declarations leave them out). The string one is @pulumi/pulumi's
 * `unknownValue`, the one the engine sends in practice.
 */
export const UNKNOWN_SENTINELS: readonly string[] = [
  "unknownBooleanValue",
  "unknownNumberValue",
  "unknownStringValue",
  "unknownArrayValue",
  "unknownAssetValue",
  "unknownArchiveValue",
  "unknownObjectValue",
].map((name) => {
  const sentinel = (policyProxy as unknown as Record<string, unknown>)[name];
  if (typeof sentinel !== "string") throw new Error(`@pulumi/policy/proxy has no ${name}`);
  return sentinel;
});
const unknownSet = new Set<unknown>(UNKNOWN_SENTINELS);

/** The value the engine puts in place of any output not known during preview. */
export const UNKNOWN: string = unknownValue;

/** A view of a resource's input type whose values have not been checked yet: only the keys are typed. */
export type Loose<T> = { readonly [K in keyof NonNullable<T>]?: unknown };

export type Props = Readonly<Record<string, unknown>>;

/** True when the engine marked this value as unknown during preview. */
export function isUnknown(value: unknown): boolean {
  return typeof value === "string" && unknownSet.has(value);
}

/**
 * The raw properties behind the engine's unknown-checking proxy (or the object itself when it is a plain
 * object), so that reading an unknown value returns its sentinel instead of throwing. The proxy hands out
 * its target for a reserved key (@pulumi/policy `proxy.ts`, `getSpecialProxyTarget`); failing that, the
 * properties are copied through their descriptors, which the proxy does not intercept.
 */
export function rawProps(props: object): Props {
  const target: unknown = (props as Record<string, unknown>)[SPECIAL_PROXY_TARGET];
  if (typeof target === "object" && target !== null) return target as Props;
  if (!isProxied(props)) return props as Props;
  const cached = rawCache.get(props);
  if (cached) return cached;
  const out: Record<string, unknown> = {};
  for (const key of Reflect.ownKeys(props)) {
    if (typeof key === "string") {
      out[key] = Reflect.getOwnPropertyDescriptor(props, key)?.value;
    }
  }
  rawCache.set(props, out);
  return out;
}

const SPECIAL_PROXY_TARGET = "__getSpecialProxyTarget";

/** True for @pulumi/policy's proxy (it answers true for this reserved key); false for a plain object. */
function isProxied(props: object): boolean {
  return (props as Record<string, unknown>).__isSpecialProxy === true;
}

/** Raw views by the object they were read from: the validations of one resource share its props object. */
const rawCache = new WeakMap<object, Props>();

/** A known plain object, or undefined (absent, unknown, or not an object). */
export function record<T = Record<string, unknown>>(value: unknown): Loose<T> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Loose<T>)
    : undefined;
}

/** A known array, or undefined (absent, unknown, or not an array). */
export function list(value: unknown): readonly unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

/** A known string, or undefined (absent, unknown, or not a string). */
export function text(value: unknown): string | undefined {
  return typeof value === "string" && !unknownSet.has(value) ? value : undefined;
}

/** A known boolean, or undefined. Booleans given as the strings "true"/"false" are accepted. */
export function flag(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (value === "true") return true;
  if (value === "false") return false;
  return undefined;
}

/** A known finite number, or undefined. */
export function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** The known strings of a list (unknown or non-string elements are left out). */
export function texts(value: unknown): string[] {
  const items = list(value);
  if (!items) return [];
  const out: string[] = [];
  for (const item of items) {
    const s = text(item);
    if (s !== undefined) out.push(s);
  }
  return out;
}

/** True when the value is unknown, or is a list with an unknown element. */
export function hasUnknown(value: unknown): boolean {
  if (isUnknown(value)) return true;
  return Array.isArray(value) && value.some(isUnknown);
}

/** True when the value is absent (undefined or null). */
export function isAbsent(value: unknown): boolean {
  return value === undefined || value === null;
}

/** GCE metadata booleans: "TRUE", "true" and "1" mean on; anything else off. Unknown stays undefined. */
export function metadataFlag(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  const s = text(value);
  if (s === undefined) return undefined;
  return /^(true|1|yes|on)$/i.test(s.trim());
}

/** Quotes a name for a message: `"web-0"`. */
export function quote(name: string): string {
  return JSON.stringify(name);
}

/** Joins words as "a", "a and b", "a, b and c". */
export function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}
