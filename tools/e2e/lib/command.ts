/** Runs the suite's commands: each printed before it runs, bounded in time, timed, its output kept. */
import { spawn } from "node:child_process";

export interface CommandResult {
  readonly command: string;
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  /** stdout and stderr, interleaved. */
  readonly output: string;
  readonly stdout: string;
  readonly seconds: number;
}

export interface CommandOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Upper bound; the command's whole process group is killed after it. */
  readonly timeoutSeconds: number;
  /** Output that is not echoed while the command runs (it is still kept for failures). */
  readonly quiet?: boolean;
}

export class CommandFailed extends Error {
  constructor(
    message: string,
    readonly result: CommandResult,
  ) {
    super(message);
  }
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Runs `file args…`; resolves with the result whatever the exit code. */
export function runCommand(
  file: string,
  args: readonly string[],
  options: CommandOptions,
): Promise<CommandResult> {
  const command = [file, ...args].map(quote).join(" ");
  process.stdout.write(`$ ${command}\n`);
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group, so a timeout also ends the plugins and language host it started.
      detached: true,
    });
    const chunks: Buffer[] = [];
    const stdoutChunks: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdoutChunks.push(chunk));
    const collect = (chunk: Buffer): void => {
      chunks.push(chunk);
      if (!options.quiet && process.env.E2E_VERBOSE === "1") {
        process.stdout.write(chunk);
      }
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    }, options.timeoutSeconds * 1000);
    const finish = (exitCode: number | null): void => {
      clearTimeout(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      resolve({
        command,
        exitCode,
        timedOut,
        output: Buffer.concat(chunks).toString("utf8"),
        stdout: Buffer.concat(stdoutChunks).toString("utf8"),
        seconds,
      });
    };
    child.on("error", (error) => {
      chunks.push(Buffer.from(String(error)));
      finish(null);
    });
    child.on("close", (code) => finish(code));
  });
}

/** Like runCommand, but a non-zero exit or a timeout is a failure. */
export async function mustSucceed(
  file: string,
  args: readonly string[],
  options: CommandOptions,
): Promise<CommandResult> {
  const result = await runCommand(file, args, options);
  if (result.timedOut) {
    throw new CommandFailed(`timed out after ${options.timeoutSeconds}s`, result);
  }
  if (result.exitCode !== 0) {
    throw new CommandFailed(`exited with code ${result.exitCode}`, result);
  }
  return result;
}
