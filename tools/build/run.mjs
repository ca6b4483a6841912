// Runs a TypeScript entry point of this repository as plain JavaScript, without a TypeScript loader at run
// time: `node tools/build/run.mjs tools/plan/cli [args...]`. The repository's TypeScript is transpiled
// (esbuild, no type-checking: `npm test` type-checks) into out/build/ when the build is stale, which takes
// about half a second; otherwise the build is reused. With no entry point it only builds (npm's prepare
// step, at install).
//
// Stale means: a source changed after the last build began, or the set of sources, this file, tsconfig.json
// or the lock file (and so esbuild's version) differs from what the last build recorded. A stale build is
// redone from scratch in a folder of its own and then moved into place, so a deleted source leaves no old
// JavaScript behind and a run never loads a half-written build.
//
// Exit codes: the entry point's own; 2 when the build fails or the entry point does not exist, with one line
// on stderr.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import nodeModule, { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const outdir = path.join(root, "out", "build");
const stamp = path.join(outdir, ".built");
const SOURCES = ["index.ts", "program.ts", "config", "components", "policies", "tools"];
const SKIPPED = new Set(["node_modules", "test", "fixtures", ".bin", "out"]);
const INPUTS = ["tools/build/run.mjs", "tsconfig.json", "package-lock.json"];

/** Every TypeScript source the program, the pack and the tools run from (tests are not built). */
function sources(entry = root, found = []) {
  for (const name of entry === root ? SOURCES : readdirSync(entry).sort()) {
    const file = path.join(entry, name);
    if (!existsSync(file) || SKIPPED.has(name)) continue;
    if (statSync(file).isDirectory()) sources(file, found);
    else if (name.endsWith(".ts") && !name.endsWith(".d.ts")) found.push(file);
  }
  return found;
}

/** What a build is made from, apart from the sources' contents: their list and the build's own inputs. */
function recipe(files) {
  const hash = createHash("sha256");
  for (const file of files) hash.update(`${path.relative(root, file)}\n`);
  for (const input of INPUTS) hash.update(readFileSync(path.join(root, input)));
  return hash.digest("hex");
}

function fail(message) {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}

async function build() {
  const started = Date.now();
  const files = sources();
  const wanted = recipe(files);
  const last = existsSync(stamp) ? JSON.parse(readFileSync(stamp, "utf8")) : undefined;
  if (last?.recipe === wanted && files.every((file) => statSync(file).mtimeMs < last.startedAt)) return;
  const esbuild = await import("esbuild");
  const staging = `${outdir}.${process.pid}`;
  try {
    await esbuild.build({
      entryPoints: files,
      outdir: staging,
      outbase: root,
      format: "cjs",
      platform: "node",
      target: "node20",
      logLevel: "silent",
    });
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    const first = err.errors?.[0];
    const where = first?.location ? `${first.location.file}:${first.location.line}: ` : "";
    fail(`cannot build the TypeScript: ${where}${first?.text ?? err.message}`);
  }
  // The start time, not the end: a source saved while esbuild ran is newer and makes the next run rebuild.
  writeFileSync(path.join(staging, ".built"), JSON.stringify({ recipe: wanted, startedAt: started }));
  // The old build is moved aside, not deleted, before the new one takes its place: out/build is missing only
  // between two renames, not for as long as a recursive delete takes, for a process (an e2e provider, say)
  // that loads a file from it late.
  const old = `${outdir}.old.${process.pid}`;
  if (existsSync(outdir)) renameSync(outdir, old);
  renameSync(staging, outdir);
  rmSync(old, { recursive: true, force: true });
}

await build();
const [entry, ...rest] = process.argv.slice(2);
if (entry !== undefined) {
  const main = path.join(outdir, `${entry}.js`);
  if (!existsSync(main)) fail(`no entry point ${entry} (looked for ${path.relative(root, main)})`);
  // The entry point sees its own arguments at process.argv[2...], as when node runs it directly.
  process.argv = [process.argv[0], main, ...rest];
  // Node's on-disk compile cache (Node.js 22.8 and later; on 20 the entry runs as before): V8's compiled code
  // of each module, kept in out/compile-cache and checked against the file's contents, so a later run skips
  // most parsing and compiling. The plan takes about 0.3 s less (docs/benchmarks.md). A worker thread does
  // not share the main thread's cache; NODE_COMPILE_CACHE hands it the same folder.
  if (nodeModule.enableCompileCache) {
    process.env.NODE_COMPILE_CACHE ??= path.join(root, "out", "compile-cache");
    nodeModule.enableCompileCache(process.env.NODE_COMPILE_CACHE);
  }
  createRequire(import.meta.url)(main);
}
