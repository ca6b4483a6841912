/** Small helpers for reading loosely typed resource inputs and building outputs. */

export type Props = Record<string, unknown>;

export function isPlainObject(value: unknown): value is Props {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

export function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

export function bool(value: unknown): boolean | undefined {
  return typeof value === "boolean" ? value : undefined;
}

export function obj(value: unknown): Props {
  return isPlainObject(value) ? value : {};
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * Lays the inputs over what the cloud computed: an input value always wins, objects merge key by key and
 * arrays element by element (a computed `backends[0].balancingMode` joins the given backend), so
 * the outputs are the inputs plus the computed properties, as a real provider's are.
 */
export function overlay(computed: unknown, given: unknown): unknown {
  if (given === undefined || given === null) {
    return computed;
  }
  if (isPlainObject(given) && isPlainObject(computed)) {
    const out: Props = { ...computed };
    for (const [key, value] of Object.entries(given)) {
      out[key] = overlay(computed[key], value);
    }
    return out;
  }
  if (Array.isArray(given) && Array.isArray(computed)) {
    return given.map((element, i) => overlay(computed[i], element));
  }
  return given;
}

/** Drops `undefined` values (protobuf structs cannot carry them), recursively. */
export function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(withoutUndefined);
  }
  if (isPlainObject(value)) {
    const out: Props = {};
    for (const [key, element] of Object.entries(value)) {
      if (element !== undefined) {
        out[key] = withoutUndefined(element);
      }
    }
    return out;
  }
  return value;
}
