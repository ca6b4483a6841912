/** Finds the `pulumi` CLI: built (or found on PATH) by tools/pulumi-cli/build.sh, else PATH. */
import { existsSync } from "node:fs";
import * as path from "node:path";
import { CommandFailed, mustSucceed, runCommand } from "./command";
import { REPO } from "./workspace";

/** The first build compiles the CLI from source; later runs reuse the cached binaries. */
const BUILD_TIMEOUT_SECONDS = 60 * 60;

export interface PulumiCli {
  readonly binDir: string;
  readonly version: string;
}

/**
 * `buildEnv` runs the build script (Go's caches are the only thing it writes outside the repository);
 * `pulumiEnv` runs `pulumi version`, so even that call keeps to the suite's PULUMI_HOME.
 */
export async function findPulumiCli(
  buildEnv: NodeJS.ProcessEnv,
  pulumiEnv: NodeJS.ProcessEnv,
  cwd: string,
): Promise<PulumiCli> {
  const script = path.join(REPO, "tools", "pulumi-cli", "build.sh");
  let binDir: string | undefined;
  if (existsSync(script)) {
    const built = await mustSucceed("bash", [script], {
      cwd: REPO,
      env: buildEnv,
      timeoutSeconds: BUILD_TIMEOUT_SECONDS,
    });
    binDir = built.stdout.trim().split("\n").pop()?.trim();
  } else {
    const which = await runCommand("sh", ["-c", "command -v pulumi"], {
      cwd,
      env: buildEnv,
      timeoutSeconds: 10,
    });
    if (which.exitCode === 0) {
      binDir = path.dirname(which.stdout.trim());
    }
  }
  if (!binDir || !existsSync(path.join(binDir, "pulumi"))) {
    throw new Error(
      `no pulumi CLI: ${script} is ${existsSync(script) ? "there but printed no bin directory holding pulumi" : "missing"} and pulumi is not on PATH.`,
    );
  }
  const version = await runCommand(path.join(binDir, "pulumi"), ["version"], {
    cwd,
    env: pulumiEnv,
    timeoutSeconds: 30,
  });
  if (version.exitCode !== 0) {
    throw new CommandFailed("pulumi version failed", version);
  }
  return { binDir, version: version.stdout.trim() };
}
