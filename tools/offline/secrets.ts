/** Pulumi's wire markers for a secret value: `{ [sigKey]: secretSig, value }`. */
const sigKey = "4dabf18193072939515e22adb298388d";
const secretSig = "1b47061264138c4ac30d75fd1eb44270";

/** How a secret is shown in anything the offline tools print. */
export const maskedSecret = "[secret]";

type Path = (string | number)[];

function isWrappedSecret(value: unknown): value is { value: unknown } {
  return (
    typeof value === "object" && value !== null && (value as Record<string, unknown>)[sigKey] === secretSig
  );
}

/** The value with every secret wrapper removed, and the paths where secrets were. */
export function revealSecrets(
  value: unknown,
  path: Path = [],
  found: Path[] = [],
): { plain: unknown; secretPaths: Path[] } {
  const walk = (v: unknown, p: Path): unknown => {
    if (isWrappedSecret(v)) {
      found.push(p);
      return revealSecrets(v.value, p, []).plain;
    }
    if (Array.isArray(v)) {
      return v.map((item, i) => walk(item, [...p, i]));
    }
    if (typeof v === "object" && v !== null) {
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item, [...p, k])]));
    }
    return v;
  };
  return { plain: walk(value, path), secretPaths: found };
}

function mapAt(value: unknown, path: Path, change: (v: unknown) => unknown): unknown {
  if (path.length === 0) {
    return change(value);
  }
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
