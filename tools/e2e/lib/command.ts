/**
 * The commands the suite runs beside the Automation API (the CLI's build, `pulumi stack export` and
 * `pulumi preview --json`, check-policies): each printed before it runs, and bounded in time.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { REPO } from "./workspace";

export interface CommandResult {
  /** null when it could not start, or was killed. */
  readonly exitCode: number | null;
  /** Killed for running past its time limit. */
  readonly timedOut: boolean;
  readonly stdout: string;
  /** stdout and stderr, interleaved. */
  readonly output: string;
}

export interface CommandOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Upper bound; the command's whole process group is killed after it. */
  readonly timeoutSeconds: number;
  /** Echo its output as it comes with E2E_VERBOSE=1 (it is kept for failures either way). */
  readonly echo?: boolean;
}

const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);

/** Runs `file args…`; resolves with the result whatever the exit code. */
export function runCommand(file: string, args: string[], options: CommandOptions): Promise<CommandResult> {
  process.stdout.write(`$ ${[file, ...args].map(quote).join(" ")}\n`);
  // Its own process group, so a timeout also ends the plugins and language host it started.
  const { cwd, env } = options;
  const child = spawn(file, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let stdout = "";
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  for (const stream of [child.stdout, child.stderr.setEncoding("utf8")]) {
    stream.on("data", (chunk: string) => {
      output += chunk;
      if (options.echo && process.env.E2E_VERBOSE === "1") process.stdout.write(chunk);
    });
  }
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      child.kill("SIGKILL");
    }
  }, options.timeoutSeconds * 1000);
  return new Promise((resolve) => {
    const finish = (exitCode: number | null) => {
      clearTimeout(timer);
      resolve({ exitCode, timedOut, stdout, output });
    };
    child.on("error", (error) => {
      output += String(error);
      finish(null);
    });
    child.on("close", finish);
  });
}

/** Like runCommand, but a non-zero exit or a timeout is a failure, whose message ends with the output. */
export async function mustSucceed(file: string, args: string[], options: CommandOptions) {
  const result = await runCommand(file, args, options);
  if (result.exitCode !== 0) {
    const how = result.timedOut
      ? `was killed after its limit of ${options.timeoutSeconds} s`
      : `exited with ${result.exitCode}`;
    throw new Error(`${path.basename(file)} ${how}:\n${result.output.slice(-4000)}`);
  }
  return result;
}

/**
 * The folder of the `pulumi` CLI: the one tools/pulumi-cli/build.sh prints (its first run compiles the CLI
 * from source, hence the hour), else the first on PATH.
 */
export async function findPulumiCli(): Promise<string> {
  const script = path.join(REPO, "tools", "pulumi-cli", "build.sh");
  const options = { cwd: REPO, env: process.env, timeoutSeconds: 60 * 60, echo: true };
  const binDir = existsSync(script)
    ? (await mustSucceed("bash", [script], options)).stdout.trim().split("\n").pop()?.trim()
    : process.env.PATH?.split(path.delimiter).find((dir) => dir && existsSync(path.join(dir, "pulumi")));
  if (!binDir || !existsSync(path.join(binDir, "pulumi"))) {
    throw new Error(
      `no pulumi CLI: ${script} is ${existsSync(script) ? "there but printed no bin directory holding pulumi" : "missing"} and pulumi is not on PATH.`,
    );
  }
  return binDir;
}
