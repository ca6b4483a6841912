/**
 * The offline plan: runs the program for a stack against a simulated Google Cloud, puts the result through
 * the policy pack, works out what survives the loss of each zone and draws the architecture.
 *
 *   npm start -- [--stack <name>] [--json] [--diagram <file.svg>] [--set key=value ...]
 *
 * Exit codes: 0 no mandatory violation, 1 at least one mandatory violation, 2 bad invocation or bad config
 * (one line on stderr, nothing on stdout). The same codes when the reader closes the pipe early.
 */
import "./warmUpWorker";
import { buildPlan, isPlanError } from "./plan";
import { renderText } from "./render";
import { parseArgs, usage } from "./args";
import { UsageError } from "../cli/commandLine";

// A reader that stops early (`npm start -- --json | head`) closes the pipe. The plan then ends quietly with
// its own exit code, instead of dying on EPIPE with 1, which would read as a mandatory violation.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code !== "EPIPE") throw err;
  process.exit(process.exitCode ?? 0);
});

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const plan = await buildPlan(args);
  // Set before writing, for the EPIPE handler above.
  process.exitCode = plan.hasMandatoryViolation ? 1 : 0;
  // Written in one piece, once everything has worked, so a failure never leaves half a report behind.
  process.stdout.write(args.json ? `${JSON.stringify(plan.json, null, 2)}\n` : renderText(plan));
  return process.exitCode;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const known = err instanceof UsageError || isPlanError(err);
    process.stderr.write(`error: ${known ? (err as Error).message : String((err as Error)?.stack ?? err)}\n`);
    process.exitCode = 2;
  },
);
