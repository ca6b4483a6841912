/** Small helpers for policy messages and GCE metadata values. */

/** GCE metadata booleans: "TRUE", "true", "1", "yes" and "on" mean on; anything else (or nothing) off. */
export function metadataFlag(value: string | undefined): boolean {
  return value !== undefined && /^(true|1|yes|on)$/i.test(value.trim());
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
