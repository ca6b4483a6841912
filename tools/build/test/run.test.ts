/**
 * tools/build/run.mjs, run on a small tree of its own: a copy of the script with one entry point and one
 * module, so that its staleness rules are seen doing their work (rebuilt when, and only when, the build
 * is stale) without touching the repository's out/build/.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "fs";
import * as nodeModule from "module";
import * as os from "os";
import * as path from "path";

const REPO = path.resolve(__dirname, "..", "..", "..");

describe("tools/build/run.mjs: build when stale, then run the built JavaScript", function () {
  this.timeout(120000);
  let root: string;

  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(root, "tools", "build", "run.mjs"), ...args], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, NODE_COMPILE_CACHE: undefined },
    });
  const startedAt = (): number =>
    (JSON.parse(readFileSync(path.join(root, "out", "build", ".built"), "utf8")) as { startedAt: number })
      .startedAt;
  /** Makes a file look saved now, after any build so far began. */
  const touch = (file: string) => {
    const now = new Date(Date.now() + 1000);
    utimesSync(path.join(root, file), now, now);
  };

  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "run-mjs-"));
    mkdirSync(path.join(root, "tools", "build"), { recursive: true });
    copyFileSync(path.join(REPO, "tools", "build", "run.mjs"), path.join(root, "tools", "build", "run.mjs"));
    symlinkSync(path.join(REPO, "node_modules"), path.join(root, "node_modules"), "dir");
    write("tsconfig.json", "{}\n");
    write("package-lock.json", '{ "lockfileVersion": 3 }\n');
    write(
      "tools/hello/main.ts",
      'import { greeting } from "./greeting";\nconsole.log(greeting, process.argv.slice(2).join(" "));\n',
    );
    write("tools/hello/greeting.ts", 'export const greeting: string = "hello";\n');
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("builds on first use and runs the entry point with its own arguments", () => {
    const result = run("tools/hello/main", "a", "b");
    assert.strictEqual(result.stderr, "");
    assert.strictEqual(result.stdout, "hello a b\n");
    assert.strictEqual(result.status, 0);
    assert.ok(existsSync(path.join(root, "out", "build", "tools", "hello", "greeting.js")));
  });

  it("reuses a fresh build, and rebuilds when a source is saved after the build began", () => {
    run("tools/hello/main");
    const first = startedAt();
    assert.strictEqual(run("tools/hello/main").stdout, "hello \n");
    assert.strictEqual(startedAt(), first, "a fresh build was redone");
    write("tools/hello/greeting.ts", 'export const greeting: string = "bonjour";\n');
    touch("tools/hello/greeting.ts");
    assert.strictEqual(run("tools/hello/main").stdout, "bonjour \n");
    assert.ok(startedAt() > first, "the stale build was reused");
  });

  it("rebuilds from scratch when a source is deleted, leaving none of its JavaScript", () => {
    write("tools/hello/unused.ts", "export const unused = 1;\n");
    run("tools/hello/main");
    assert.ok(existsSync(path.join(root, "out", "build", "tools", "hello", "unused.js")));
    rmSync(path.join(root, "tools", "hello", "unused.ts"));
    assert.strictEqual(run("tools/hello/main").status, 0);
    assert.ok(!existsSync(path.join(root, "out", "build", "tools", "hello", "unused.js")));
  });

  it("rebuilds when tsconfig.json or the lock file changes, though no source did", () => {
    run("tools/hello/main");
    let last = startedAt();
    for (const input of ["tsconfig.json", "package-lock.json"]) {
      write(input, `${readFileSync(path.join(root, input), "utf8")}\n`);
      run("tools/hello/main");
      assert.ok(startedAt() > last, `${input} changed and the build was reused`);
      last = startedAt();
    }
  });

  it("exits 2 with one line on a compile error, keeping the last good build", () => {
    run("tools/hello/main");
    write("tools/hello/greeting.ts", "export const greeting = ;\n");
    touch("tools/hello/greeting.ts");
    const result = run("tools/hello/main");
    assert.strictEqual(result.status, 2);
    assert.strictEqual(result.stdout, "");
    assert.match(
      result.stderr,
      /^error: cannot build the TypeScript: tools\/hello\/greeting\.ts:1: Unexpected ";"\n$/,
    );
    assert.ok(existsSync(path.join(root, "out", "build", "tools", "hello", "main.js")));
  });

  it("keeps V8's compiled code in out/compile-cache where Node.js has a compile cache, for worker threads too", () => {
    write(
      "tools/hello/cache.ts",
      [
        'import * as nodeModule from "node:module";',
        'import { Worker } from "node:worker_threads";',
        "const cacheDir = () => (nodeModule as { getCompileCacheDir?: () => string }).getCompileCacheDir?.() ?? null;",
        "const inWorker = `require('node:worker_threads').parentPort.postMessage(require('node:module').getCompileCacheDir?.() ?? null)`;",
        "new Worker(inWorker, { eval: true }).once('message', (worker) =>",
        "  console.log(JSON.stringify({ main: cacheDir(), worker, env: process.env.NODE_COMPILE_CACHE ?? null })),",
        ");",
      ].join("\n"),
    );
    const result = run("tools/hello/cache");
    assert.strictEqual(result.stderr, "");
    const seen = JSON.parse(result.stdout) as Record<string, string | null>;
    const folder = path.join(root, "out", "compile-cache");
    if (typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === "function") {
      // Node.js keeps one sub-folder per version and V8 build (`v26.12.1-x64-…`).
      assert.strictEqual(seen.env, folder);
      assert.strictEqual(seen.worker, seen.main);
      assert.strictEqual(path.dirname(seen.main ?? ""), folder);
      assert.match(path.basename(seen.main ?? ""), new RegExp(`^${process.version}-`));
      assert.ok(readdirSync(seen.main ?? "").length > 0, "nothing was written to the cache");
    } else {
      assert.deepStrictEqual(seen, { main: null, worker: null, env: null });
      assert.ok(!existsSync(folder));
    }
  });

  it("exits 2 with one line when the entry point does not exist", () => {
    const result = run("tools/hello/nope");
    assert.strictEqual(result.status, 2);
    assert.strictEqual(result.stdout, "");
    assert.strictEqual(
      result.stderr,
      "error: no entry point tools/hello/nope (looked for out/build/tools/hello/nope.js)\n",
    );
  });
});
