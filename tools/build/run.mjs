// Runs a TypeScript entry point of this repository as plain JavaScript, without a TypeScript loader at run
// time: `node tools/build/run.mjs tools/plan/cli [args...]`. The repository's TypeScript is transpiled
// (esbuild, no type-checking: `npm test` type-checks) into out/build/ whenever a source is newer than the
// last build, which takes about half a second; otherwise the build is reused. With no entry point it only
// builds (npm's prepare step, at install).
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const outdir = path.join(root, "out", "build");
const stamp = path.join(outdir, ".built");
const SOURCES = ["index.ts", "program.ts", "config", "components", "policies", "tools"];
const SKIPPED = new Set(["node_modules", "test", "fixtures", ".bin", "out"]);

/** Every TypeScript source the program, the pack and the tools run from (tests are not built). */
function sources(entry = root, found = []) {
  for (const name of entry === root ? SOURCES : readdirSync(entry)) {
    const file = path.join(entry, name);
    if (!existsSync(file) || SKIPPED.has(name)) continue;
    if (statSync(file).isDirectory()) sources(file, found);
    else if (name.endsWith(".ts") && !name.endsWith(".d.ts")) found.push(file);
  }
  return found;
}

async function build() {
  const files = sources();
  const builtAt = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
  if (files.every((file) => statSync(file).mtimeMs < builtAt)) return;
  const esbuild = await import("esbuild");
  await esbuild.build({
    entryPoints: files,
    outdir,
    outbase: root,
    format: "cjs",
    platform: "node",
    target: "node20",
    logLevel: "warning",
  });
  writeFileSync(stamp, "");
}

await build();
const [entry, ...rest] = process.argv.slice(2);
if (entry !== undefined) {
  // The entry point sees its own arguments at process.argv[2...], as when node runs it directly.
  process.argv = [process.argv[0], path.join(outdir, `${entry}.js`), ...rest];
  createRequire(import.meta.url)(path.join(outdir, `${entry}.js`));
}
