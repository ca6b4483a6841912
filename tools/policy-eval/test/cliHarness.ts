/** Runs the check-policies CLI as `npm run check-policies` does, for the CLI's tests. */
import { spawn } from "child_process";
import * as path from "path";

export const REPO = path.join(__dirname, "..", "..", "..");
const CLI = path.join(REPO, "tools", "policy-eval", "cli", "check-policies.ts");

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Written to the CLI's standard input. */
  stdin?: string;
  /** The folder the user ran npm in (npm passes it as INIT_CWD; the CLI itself runs in the repository). */
  initCwd?: string;
  /** Close the CLI's standard output before it writes, as `| head` does once it has read enough. */
  closedPipe?: boolean;
}

export function checkPolicies(args: string[], options: RunOptions = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env.INIT_CWD;
    if (options.initCwd) env.INIT_CWD = options.initCwd;
    const child = spawn(process.execPath, ["--require", "tsx/cjs", CLI, ...args], { cwd: REPO, env });
    if (options.closedPipe) child.stdout.destroy();
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? "");
  });
}

/** Runs many invocations, a few at a time (each one loads TypeScript, @pulumi/gcp and the pack). */
export async function checkAll(cases: Record<string, [string[], RunOptions?]>): Promise<Record<string, Run>> {
  const names = Object.keys(cases);
  const results: Record<string, Run> = {};
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const name = names[next++];
      results[name] = await checkPolicies(...cases[name]);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return results;
}
