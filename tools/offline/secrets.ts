// Pulumi's wire form of a secret value: `{ [specialSigKey]: specialSecretSig, value }`.
import { specialSecretSig as secretSig, specialSigKey as sigKey } from "@pulumi/pulumi/runtime/rpc";

/** How a secret is shown in anything the offline tools print. */
export const maskedSecret = "[secret]";

type Path = (string | number)[];

function isWrappedSecret(value: unknown): value is { value: unknown } {
  return (
    typeof value === "object" && value !== null && (value as Record<string, unknown>)[sigKey] === secretSig
  );
}

/** The value with every secret wrapper removed, and the paths where secrets were. */
export function revealSecrets(value: unknown): { plain: unknown; secretPaths: Path[] } {
  const secretPaths: Path[] = [];
  // A secret inside a secret is hidden by the outer one: only the outermost path is recorded.
  const walk = (v: unknown, p: Path, inSecret: boolean): unknown => {
    if (isWrappedSecret(v)) {
      if (!inSecret) secretPaths.push(p);
      return walk(v.value, p, true);
    }
    if (Array.isArray(v)) return v.map((item, i) => walk(item, [...p, i], inSecret));
    if (typeof v === "object" && v !== null) {
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item, [...p, k], inSecret)]));
    }
    return v;
  };
  return { plain: walk(value, [], false), secretPaths };
}

function mapAt(value: unknown, path: Path, change: (v: unknown) => unknown): unknown {
  if (path.length === 0) return change(value);
  const [head, ...rest] = path;
  if (Array.isArray(value) && typeof head === "number" && head < value.length) {
    return value.map((item, i) => (i === head ? mapAt(item, rest, change) : item));
  }
  if (typeof value === "object" && value !== null && typeof head === "string" && head in value) {
    return { ...value, [head]: mapAt((value as Record<string, unknown>)[head], rest, change) };
  }
  return value;
}

/** Marks the values at the given paths as Pulumi secrets, so outputs derived from them stay secret. */
export function wrapSecrets(value: unknown, paths: Path[]): unknown {
  return paths.reduce((v, p) => mapAt(v, p, (s) => ({ [sigKey]: secretSig, value: s })), value);
}

/** Replaces the values at the given paths with a mask, for anything printed or written to disk. */
export function maskSecrets(value: unknown, paths: Path[]): unknown {
  return paths.reduce((v, p) => mapAt(v, p, () => maskedSecret), value);
}
