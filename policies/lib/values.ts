/** Small helpers for policy messages and GCE metadata values. */

/** GCE metadata booleans: "TRUE", "true", "1", "yes" and "on" mean on; anything else (or nothing) off. */
export function metadataFlag(value: string | undefined | null): boolean {
  return typeof value === "string" && /^(true|1|yes|on)$/i.test(value.trim());
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

/**
 * True for a value that is not there: undefined, or null, which state holds for an unset block (the
 * provider writes null for every single-item nested block left out) and check-policies passes on.
 */
export function isAbsent(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}
