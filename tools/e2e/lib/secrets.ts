/**
 * Searches text (a stack export) for the passwords and private keys the emulated providers recorded.
 * Reports which kind leaked where, never the value.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";

export interface RecordedSecret {
  /** `public-key` entries are not secrets: text found in them is not counted as a leak. */
  readonly kind: "password" | "private-key" | "public-key";
  readonly type: string;
  readonly urn: string;
  readonly property: string;
  readonly value: string;
}

export function loadRecordedSecrets(simState: string): RecordedSecret[] {
  const file = path.join(simState, "secrets.jsonl");
  if (!existsSync(file)) {
    return [];
  }
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as RecordedSecret);
}

/**
 * The forms a value can take in a JSON document: as is, JSON-escaped, and for a PEM block each line of
 * its base64 body (a key split over lines or re-wrapped still leaks through any of them), except lines
 * that also occur in a public key (an OpenSSH private key file carries its public key).
 */
function needles(secret: RecordedSecret, publicText: string): string[] {
  const forms = new Set([secret.value, JSON.stringify(secret.value).slice(1, -1)]);
  if (secret.value.includes("-----BEGIN")) {
    for (const line of secret.value.split("\n")) {
      if (/^[A-Za-z0-9+/=]{40,}$/.test(line) && !publicText.includes(line)) {
        forms.add(line);
      }
    }
  }
  return [...forms];
}

/** Descriptions (kind, resource, property) of the recorded secrets that appear in `text`. */
export function findLeaks(text: string, secrets: readonly RecordedSecret[]): string[] {
  const publicText = secrets
    .filter((s) => s.kind === "public-key")
    .map((s) => s.value.replace(/\s+/g, ""))
    .join("\n");
  return secrets
    .filter((secret) => secret.kind !== "public-key")
    .filter((secret) => needles(secret, publicText).some((needle) => text.includes(needle)))
    .map((secret) => `${secret.kind} (${secret.property} of ${secret.urn})`);
}
