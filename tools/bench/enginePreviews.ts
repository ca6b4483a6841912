/**
 * Previews on the real engine, as the end-to-end suite runs them: the dev stack against the emulated
 * providers (without the policy pack), and an empty program, alternately, with the same CLI. Only when the
 * CLI is already built (tools/pulumi-cli/build.sh): building it takes minutes.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, rmSync } from "node:fs";
import * as path from "node:path";
import { createEmptyProgram, createWorkspace, pulumiEnv, REPO } from "../e2e/lib/workspace";

export interface PreviewTimes {
  devMs: number[];
  emptyMs: number[];
}

const BUILD = path.join(REPO, "tools", "pulumi-cli", "build.sh");
const CACHE = path.join(REPO, "tools", "pulumi-cli", ".bin");

/** The times, or why they were not measured. */
export function measurePreviews(runs: number): PreviewTimes | string {
  const built =
    existsSync(CACHE) && readdirSync(CACHE).some((v) => existsSync(path.join(CACHE, v, "pulumi")));
  if (!built) return "not measured: the CLI is not built (bash tools/pulumi-cli/build.sh)";
  const binDir = execFileSync("bash", [BUILD], { encoding: "utf8" }).trim().split("\n").pop()!;
  const workspace = createWorkspace();
  try {
    const env = pulumiEnv(workspace, binDir);
    const pulumi = (cwd: string, args: string[]): number => {
      const started = process.hrtime.bigint();
      const child = spawnSync(path.join(binDir, "pulumi"), [...args, "--non-interactive"], {
        cwd,
        env,
        encoding: "utf8",
        timeout: 5 * 60_000,
      });
      if (child.status !== 0) {
        throw new Error(`pulumi ${args.join(" ")} exited ${child.status}: ${child.stdout}${child.stderr}`);
      }
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const empty = createEmptyProgram(workspace);
    pulumi(workspace.project, ["stack", "init", "dev", "--secrets-provider", "passphrase"]);
    pulumi(empty, ["stack", "init", "empty", "--secrets-provider", "passphrase"]);
    const times: PreviewTimes = { devMs: [], emptyMs: [] };
    for (let i = 0; i < runs; i++) {
      times.emptyMs.push(pulumi(empty, ["preview", "--stack", "empty"]));
      times.devMs.push(pulumi(workspace.project, ["preview", "--stack", "dev"]));
    }
    return times;
  } finally {
    rmSync(workspace.root, { recursive: true, force: true });
  }
}
