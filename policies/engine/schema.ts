/**
 * The part of JSON Schema that policy config schemas use, checked the way the engine checks a policy's
 * config against its `configSchema` (the engine uses gojsonschema; this covers the same keywords for the
 * types config values can have). Policies of this pack only use keywords listed in SUPPORTED_KEYWORDS.
 */
import { PolicyConfigJSONSchema, PolicyConfigJSONSchemaDefinition } from "@pulumi/policy/schema";

export const SUPPORTED_KEYWORDS = new Set([
  "type",
  "enum",
  "const",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minLength",
  "maxLength",
  "pattern",
  "items",
  "minItems",
  "maxItems",
  "uniqueItems",
  "properties",
  "required",
  "additionalProperties",
  "default",
  "description",
]);

/** The JSON type name of a value, with "integer" for whole numbers. */
function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** Checks `value` against `schema`; returns one sentence per problem, each naming `path`. */
export function checkSchema(
  value: unknown,
  schema: PolicyConfigJSONSchemaDefinition,
  path: string,
): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${path} is not allowed`];
  const s: PolicyConfigJSONSchema = schema;
  const errors: string[] = [];
  const actual = typeOf(value);
  if (s.type !== undefined) {
    const wanted = Array.isArray(s.type) ? s.type : [s.type];
    const ok = wanted.some((t) => t === actual || (t === "number" && actual === "integer"));
    if (!ok)
      return [
        `${path} must be ${wanted.map((t) => `a${/^[aeiou]/.test(t) ? "n" : ""} ${t}`).join(" or ")}, got ${show(value)}`,
      ];
  }
  if (s.enum !== undefined && !s.enum.some((e) => show(e) === show(value))) {
    errors.push(`${path} must be one of ${s.enum.map(show).join(", ")}, got ${show(value)}`);
  }
  if (s.const !== undefined && show(s.const) !== show(value)) {
    errors.push(`${path} must be ${show(s.const)}, got ${show(value)}`);
  }
  if (typeof value === "number") {
    if (s.minimum !== undefined && value < s.minimum)
      errors.push(`${path} must be at least ${s.minimum}, got ${value}`);
    if (s.maximum !== undefined && value > s.maximum)
      errors.push(`${path} must be at most ${s.maximum}, got ${value}`);
    if (s.exclusiveMinimum !== undefined && value <= s.exclusiveMinimum) {
      errors.push(`${path} must be greater than ${s.exclusiveMinimum}, got ${value}`);
    }
    if (s.exclusiveMaximum !== undefined && value >= s.exclusiveMaximum) {
      errors.push(`${path} must be less than ${s.exclusiveMaximum}, got ${value}`);
    }
    if (s.multipleOf !== undefined && value % s.multipleOf !== 0) {
      errors.push(`${path} must be a multiple of ${s.multipleOf}, got ${value}`);
    }
  }
  if (typeof value === "string") {
    if (s.minLength !== undefined && value.length < s.minLength) {
      errors.push(`${path} must be at least ${s.minLength} character${s.minLength === 1 ? "" : "s"} long`);
    }
    if (s.maxLength !== undefined && value.length > s.maxLength) {
      errors.push(`${path} must be at most ${s.maxLength} characters long`);
    }
    if (s.pattern !== undefined && !new RegExp(s.pattern).test(value)) {
      errors.push(`${path} must match ${s.pattern}, got ${show(value)}`);
    }
  }
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems)
      errors.push(`${path} must have at least ${s.minItems} item(s)`);
    if (s.maxItems !== undefined && value.length > s.maxItems)
      errors.push(`${path} must have at most ${s.maxItems} item(s)`);
    if (s.uniqueItems === true && new Set(value.map(show)).size !== value.length) {
      errors.push(`${path} must not repeat items`);
    }
    if (s.items !== undefined && !Array.isArray(s.items)) {
      const items = s.items;
      value.forEach((item, i) => errors.push(...checkSchema(item, items, `${path}[${i}]`)));
    }
  }
  if (actual === "object") {
    const object = value as Record<string, unknown>;
    for (const key of s.required ?? []) {
      if (!(key in object)) errors.push(`${path}.${key} is required`);
    }
    for (const [key, item] of Object.entries(object)) {
      const property = s.properties?.[key];
      if (property !== undefined) errors.push(...checkSchema(item, property, `${path}.${key}`));
      else if (s.additionalProperties !== undefined) {
        errors.push(...checkSchema(item, s.additionalProperties, `${path}.${key}`));
      }
    }
  }
  return errors;
}

/** The keywords of a schema (recursively) that checkSchema does not implement. */
export function unsupportedKeywords(schema: PolicyConfigJSONSchemaDefinition): string[] {
  if (typeof schema === "boolean") return [];
  const out = Object.keys(schema).filter((k) => !SUPPORTED_KEYWORDS.has(k));
  const nested: PolicyConfigJSONSchemaDefinition[] = [
    ...Object.values(schema.properties ?? {}),
    ...(schema.items === undefined ? [] : Array.isArray(schema.items) ? schema.items : [schema.items]),
    ...(schema.additionalProperties === undefined ? [] : [schema.additionalProperties]),
  ];
  for (const child of nested) out.push(...unsupportedKeywords(child));
  return out;
}
