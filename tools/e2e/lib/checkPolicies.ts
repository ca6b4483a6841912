/**
 * check-policies, this repository's offline evaluator, run on what the real CLI wrote (`pulumi preview
 * --json`, `pulumi stack export`): it must find a stack as clean as the engine did, and find SSH opened to
 * the world in the same document.
 */
import * as assert from "node:assert";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { runCommand } from "./command";
import { REPO } from "./workspace";

const CHECK_POLICIES = path.join(REPO, "tools", "policy-eval", "cli", "check-policies.ts");
export const SSH_POLICY = "gcp-firewall-disallow-world-ingress-to-sensitive-ports";

interface Reported {
  policy: string;
  resource: string;
  enforcementLevel: string;
  message: string;
}

/** The state of a resource as `pulumi stack export` and `pulumi preview --json` write it. */
interface State {
  type?: string;
  inputs?: Record<string, unknown>;
}

/** The firewall rule admitting SSH among a stack's resources. */
export const sshRule = <T extends State>(states: T[]): T | undefined =>
  states.find(
    (state) =>
      state.type === "gcp:compute/firewall:Firewall" &&
      JSON.stringify(state.inputs?.allows ?? []).includes('"22"'),
  );

/** Where check-policies' input documents are written, the stack's policy config, the environment. */
export interface Audit {
  folder: string;
  policyConfig: string;
  env: NodeJS.ProcessEnv;
}

/**
 * check-policies on a document written to the audit's folder: its exit code, what it reported (`found`),
 * and apart from that the policies that can't run until the update (`cantRun`: they read a value unknown
 * during preview, and say so, as the engine's do).
 */
export async function checkPolicies({ folder, policyConfig, env }: Audit, label: string, document: unknown) {
  const input = path.join(folder, `${label}.json`);
  writeFileSync(input, JSON.stringify(document));
  const args = ["--require", "tsx/cjs", CHECK_POLICIES, input, "--config", policyConfig];
  const options = { cwd: REPO, env, timeoutSeconds: 120 };
  const { exitCode, stdout, output } = await runCommand(process.execPath, args, options);
  assert.ok(
    exitCode === 0 || exitCode === 1,
    `check-policies could not check the ${label} (exit ${exitCode}):\n${output}`,
  );
  const reported = (JSON.parse(stdout) as { violations: Reported[] }).violations;
  const cantRun = (v: Reported) => v.message.startsWith("can't run policy ");
  return { exitCode, found: reported.filter((v) => !cantRun(v)), cantRun: reported.filter(cantRun) };
}

/** The firewall rule admitting SSH in a stack export or a preview's JSON, opened to the world. */
function openSshToTheWorld(document: {
  deployment?: { resources?: State[] };
  steps?: { newState?: State }[];
}) {
  const states = document.deployment
    ? (document.deployment.resources ?? [])
    : (document.steps ?? []).map((step) => step.newState ?? {});
  const ssh = sshRule(states);
  assert.ok(ssh?.inputs, "no firewall rule admitting SSH in the document");
  ssh.inputs.sourceRanges = ["0.0.0.0/0"];
  return document;
}

/**
 * check-policies on a document the CLI wrote: clean, as the engine found the stack, and with SSH opened to
 * the world, reported on that rule (which shows it read the document's resources). Returns a line for the log.
 */
export async function checkAsCleanAsTheEngine(audit: Audit, label: string, text: string): Promise<string> {
  const clean = await checkPolicies(audit, label, JSON.parse(text));
  assert.deepStrictEqual(clean.found, [], `check-policies on the ${label} found what the engine did not`);
  const document = openSshToTheWorld(JSON.parse(text));
  const tampered = await checkPolicies(audit, `${label}-ssh-open`, document);
  const ssh = tampered.found.filter((v) => v.policy === SSH_POLICY);
  assert.strictEqual(ssh.length, 1, `check-policies on the ${label} missed SSH opened to the world`);
  const waiting = clean.cantRun.length > 0 ? ` (${clean.cantRun.length} checks wait for the update)` : "";
  return `check-policies on the ${label}: clean${waiting}, and SSH opened to the world is found on ${ssh[0].resource}`;
}
