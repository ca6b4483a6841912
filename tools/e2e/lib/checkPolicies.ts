/**
 * check-policies, this repository's offline evaluator, run on what the real CLI wrote (`pulumi preview
 * --json`, `pulumi stack export`): it must find a stack as clean as the engine did, and find SSH opened to
 * the world in the same document.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import * as assert from "node:assert";
import { CommandResult, runCommand } from "./command";
import { REPO } from "./workspace";

const CHECK_POLICIES = path.join(REPO, "tools", "policy-eval", "cli", "check-policies.ts");
export const SSH_POLICY = "gcp-firewall-disallow-world-ingress-to-sensitive-ports";

export interface Reported {
  policy: string;
  resource: string;
  enforcementLevel: string;
  message: string;
}

export interface Checked {
  readonly result: CommandResult;
  /** What check-policies reported, but for the policies that can't run until the update. */
  readonly found: Reported[];
  /** Policies that read a value unknown during preview, and say so, as the engine's do. */
  readonly cantRun: Reported[];
}

/** check-policies, with a stack's policy config, on a document written to `folder`. */
export async function checkPolicies(
  folder: string,
  label: string,
  document: unknown,
  policyConfig: string,
  env: NodeJS.ProcessEnv,
): Promise<Checked> {
  const input = path.join(folder, `${label}.json`);
  writeFileSync(input, JSON.stringify(document));
  const result = await runCommand(
    process.execPath,
    ["--require", "tsx/cjs", CHECK_POLICIES, input, "--config", policyConfig],
    { cwd: REPO, env, timeoutSeconds: 120, quiet: true },
  );
  assert.ok(
    result.exitCode === 0 || result.exitCode === 1,
    `check-policies could not check the ${label} (exit ${result.exitCode}):\n${result.output}`,
  );
  const reported = (JSON.parse(result.stdout) as { violations: Reported[] }).violations;
  const cantRun = reported.filter((v) => v.message.startsWith("can't run policy "));
  return { result, found: reported.filter((v) => !cantRun.includes(v)), cantRun };
}

/** The state of a resource as `pulumi stack export` and `pulumi preview --json` write it. */
interface State {
  type?: string;
  inputs?: Record<string, unknown>;
}

/** The firewall rule admitting SSH in a stack export or a preview's JSON, opened to the world. */
export function openSshToTheWorld(document: {
  deployment?: { resources?: State[] };
  steps?: { newState?: State }[];
}) {
  const states = document.deployment
    ? (document.deployment.resources ?? [])
    : (document.steps ?? []).map((step) => step.newState ?? {});
  const ssh = states.find(
    (state) =>
      state.type === "gcp:compute/firewall:Firewall" &&
      JSON.stringify(state.inputs?.allows ?? []).includes('"22"'),
  );
  assert.ok(ssh?.inputs, "no firewall rule admitting SSH in the document");
  ssh.inputs.sourceRanges = ["0.0.0.0/0"];
  return document;
}

/**
 * check-policies on a document the CLI wrote: clean, as the engine found the stack, and with SSH opened to
 * the world, reported on that rule (which shows it read the document's resources). Returns a line for the log.
 */
export async function checkAsCleanAsTheEngine(
  folder: string,
  label: string,
  text: string,
  policyConfig: string,
  env: NodeJS.ProcessEnv,
): Promise<string> {
  const clean = await checkPolicies(folder, label, JSON.parse(text), policyConfig, env);
  assert.deepStrictEqual(clean.found, [], `check-policies on the ${label} found what the engine did not`);
  const tampered = await checkPolicies(
    folder,
    `${label}-ssh-open`,
    openSshToTheWorld(JSON.parse(text)),
    policyConfig,
    env,
  );
  const ssh = tampered.found.filter((v) => v.policy === SSH_POLICY);
  assert.strictEqual(ssh.length, 1, `check-policies on the ${label} missed SSH opened to the world`);
  const waiting = clean.cantRun.length > 0 ? ` (${clean.cantRun.length} checks wait for the update)` : "";
  return `check-policies on the ${label}: clean${waiting}, and SSH opened to the world is found on ${ssh[0].resource}`;
}
