/**
 * The suite's sandbox: one temporary directory holding PULUMI_HOME, the file backend, the emulated
 * providers' wrappers and journal, and a copy of the project (stack init writes the encryption salt into
 * the stack files, and the repository's own files must not change; only its git-ignored out/build/ is
 * written, by the build the emulated providers run from).
 */
import { execFileSync } from "node:child_process";
import {
  accessSync,
  chmodSync,
  constants,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** The repository: the folder above this one that holds tools/build/run.mjs, from source or from out/build/. */
export const REPO = ((): string => {
  for (let at = __dirname; path.dirname(at) !== at; at = path.dirname(at)) {
    if (existsSync(path.join(at, "tools", "build", "run.mjs"))) return at;
  }
  throw new Error(`no tools/build/run.mjs above ${__dirname}`);
})();

/** Folders of the repository that are not part of the Pulumi project, or are linked rather than copied. */
const NOT_COPIED = new Set([".git", "node_modules", "tools", "out", "test", "docs", ".ci"]);

export type Workspace = ReturnType<typeof createWorkspace>;

export function createWorkspace() {
  const root = mkdtempSync(path.join(os.tmpdir(), "foobar-e2e-"));
  const dirs = {
    home: path.join(root, "pulumi-home"),
    backend: path.join(root, "backend"),
    simState: path.join(root, "emulated-cloud"),
    pluginBin: path.join(root, "plugins"),
    project: path.join(root, "project"),
  };
  for (const dir of Object.values(dirs)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }
  cpSync(REPO, dirs.project, {
    recursive: true,
    filter: (from) =>
      !NOT_COPIED.has(path.relative(REPO, from).split(path.sep)[0]) && path.basename(from) !== "node_modules",
  });
  // The copy resolves its packages from the repository's install.
  symlinkSync(path.join(REPO, "node_modules"), path.join(dirs.project, "node_modules"), "dir");
  const policiesModules = path.join(REPO, "policies", "node_modules");
  if (existsSync(policiesModules)) {
    symlinkSync(policiesModules, path.join(dirs.project, "policies", "node_modules"), "dir");
  }
  writeProviderWrappers(dirs.pluginBin);
  return { root, ...dirs };
}

/**
 * An empty Node.js program beside the project: what every preview pays (the engine, the language host, the
 * SDK) without the program's own work, the baseline of the preview timings. Returns its directory.
 */
export function createEmptyProgram(workspace: Workspace): string {
  const dir = path.join(workspace.root, "empty-program");
  mkdirSync(dir);
  writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    "name: e2e-empty\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n",
  );
  writeFileSync(path.join(dir, "index.ts"), "export {};\n");
  writeFileSync(path.join(dir, "package.json"), '{ "name": "e2e-empty", "main": "index.ts" }\n');
  symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

/**
 * `pulumi-resource-<name>` scripts that start the emulated providers. The engine takes a plugin found on
 * PATH (an "ambient" plugin) before any installed one, whatever version the SDK asks for. They run the
 * built JavaScript (tools/build/run.mjs), built once here so that the three providers, started together,
 * find it fresh rather than each building it.
 */
function writeProviderWrappers(bin: string): void {
  const run = path.join(REPO, "tools", "build", "run.mjs");
  execFileSync(process.execPath, [run], { stdio: "inherit" });
  for (const name of ["gcp", "tls", "random"]) {
    const file = path.join(bin, `pulumi-resource-${name}`);
    writeFileSync(
      file,
      `#!/bin/sh\n# Emulated ${name} provider for the end-to-end suite.\nexec '${process.execPath}' '${run}' tools/e2e/providers/${name} "$@"\n`,
    );
    chmodSync(file, 0o755);
    accessSync(file, constants.X_OK);
  }
}

/**
 * The environment of every pulumi command: isolated home and backend, passphrase secrets, no update check,
 * no plugin downloads, the emulated providers first on PATH, and the CLI's folder after them.
 */
export function pulumiEnv(workspace: Workspace, cliBin: string): Record<string, string> {
  const inherited = Object.entries(process.env).filter(
    (entry): entry is [string, string] =>
      entry[1] !== undefined && !/^(PULUMI_|GOOGLE_|CLOUDSDK_)/.test(entry[0]),
  );
  return {
    ...Object.fromEntries(inherited),
    PATH: [workspace.pluginBin, cliBin, process.env.PATH ?? ""]
      .filter((dir) => dir !== "")
      .join(path.delimiter),
    PULUMI_HOME: workspace.home,
    PULUMI_BACKEND_URL: `file://${workspace.backend}`,
    PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase-not-a-secret",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
    PULUMI_SIM_STATE_DIR: workspace.simState,
    TMPDIR: workspace.root,
    NO_COLOR: "1",
  };
}
