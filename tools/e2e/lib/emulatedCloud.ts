/**
 * What the emulated providers record in the emulated cloud's state folder (PULUMI_SIM_STATE_DIR): each
 * package's journal of calls, which they read back too, and the passwords and private keys they made or
 * were given, which the suite searches the state for (reporting which kind leaked where, never the value).
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";

export interface JournalEntry {
  op: "create" | "update" | "delete";
  type: string;
  id: string;
  urn: string;
  /** Compute paths that name this resource (create and update). */
  identities?: string[];
  /** Compute paths this resource uses (create and update). */
  references?: string[];
}

export interface RecordedSecret {
  /** `public-key` entries are not secrets: text found in them is not counted as a leak. */
  readonly kind: "password" | "private-key" | "public-key";
  readonly type: string;
  readonly urn: string;
  readonly property: string;
  readonly value: string;
}

function readLines<T>(file: string): T[] | undefined {
  if (!existsSync(file)) return undefined;
  const lines = readFileSync(file, "utf8").split("\n");
  return lines.filter((line) => line !== "").map((line) => JSON.parse(line) as T);
}

/** One package's journal, in the order the calls came; undefined when it has none. */
export const readJournal = (simState: string, pkg: string) =>
  readLines<JournalEntry>(path.join(simState, `${pkg}.journal.jsonl`));

/** The entries of the resources a journal says are alive, by `<type> <id>`. */
export function alive(entries: readonly JournalEntry[]): Map<string, JournalEntry> {
  const live = new Map<string, JournalEntry>();
  for (const entry of entries) {
    const key = `${entry.type} ${entry.id}`;
    if (entry.op === "delete") live.delete(key);
    else live.set(key, entry);
  }
  return live;
}

/** One emulated provider's journal for one stack; empty when it has none. */
export const journal = (simState: string, pkg: string, stack: string) =>
  (readJournal(simState, pkg) ?? []).filter((entry) => entry.urn.startsWith(`urn:pulumi:${stack}::`));

/** The URNs of one stack's resources still alive in the emulated cloud. */
export function liveResources(simState: string, stack: string): string[] {
  const entries = ["gcp", "tls", "random"].flatMap((pkg) => journal(simState, pkg, stack));
  return [...alive(entries).values()].map((entry) => entry.urn);
}

export const loadRecordedSecrets = (simState: string) =>
  readLines<RecordedSecret>(path.join(simState, "secrets.jsonl")) ?? [];

/**
 * The forms a value can take in a JSON document: as is, JSON-escaped, and for a PEM block each line of
 * its base64 body (a key split over lines or re-wrapped still leaks through any of them), except lines
 * that also occur in a public key (an OpenSSH private key file carries its public key).
 */
function needles(secret: RecordedSecret, publicText: string): string[] {
  const forms = new Set([secret.value, JSON.stringify(secret.value).slice(1, -1)]);
  if (secret.value.includes("-----BEGIN")) {
    for (const line of secret.value.split("\n")) {
      if (/^[A-Za-z0-9+/=]{40,}$/.test(line) && !publicText.includes(line)) forms.add(line);
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
