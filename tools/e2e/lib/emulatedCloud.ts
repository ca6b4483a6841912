/** What the emulated providers recorded in the workspace's emulated cloud: their journal of calls. */
import { readFileSync } from "node:fs";
import * as path from "node:path";

export interface JournalLine {
  op: string;
  type: string;
  id: string;
  urn: string;
  references?: string[];
}

/** One emulated provider's journal for one stack, in the order the calls came; empty when it has none. */
export function journal(simState: string, pkg: string, stack: string): JournalLine[] {
  let text = "";
  try {
    text = readFileSync(path.join(simState, `${pkg}.journal.jsonl`), "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as JournalLine)
    .filter((entry) => entry.urn.startsWith(`urn:pulumi:${stack}::`));
}

/** The URNs of one stack's resources still alive in the emulated cloud. */
export function liveResources(simState: string, stack: string): string[] {
  const live = new Map<string, string>();
  for (const entry of ["gcp", "tls", "random"].flatMap((pkg) => journal(simState, pkg, stack))) {
    const key = `${entry.type} ${entry.id}`;
    if (entry.op === "delete") live.delete(key);
    else live.set(key, entry.urn);
  }
  return [...live.values()];
}
