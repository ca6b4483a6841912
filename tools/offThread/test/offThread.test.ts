import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as path from "node:path";
import { compareSync } from "bcryptjs";
import { offThread } from "..";

const REPO = path.join(__dirname, "..", "..", "..");
/** A script for runNode: hashes a password on the worker and prints the hash's prefix. */
const HASH_AND_PRINT_PREFIX = `host.offThread("bcryptHash", "pw").then((h) => console.log(h.slice(0, 7)));`;

/**
 * Runs `script` in a fresh node with the worker host loaded as `host`, from source through tsx or from the
 * build: its exit code (null when it had not exited after 30 s) and output.
 */
function runNode(
  script: string,
  { built = false, flags = [] as string[] } = {},
): { status: number | null; stdout: string; stderr: string } {
  const host = built
    ? path.join(REPO, "out", "build", "tools", "offThread", "index.js")
    : path.join(REPO, "tools", "offThread", "index.ts");
  const loader = built ? [] : ["--require", require.resolve("tsx/cjs")];
  const child = spawnSync(
    process.execPath,
    [...flags, ...loader, "-e", `const host = require(${JSON.stringify(host)}); ${script}`],
    { encoding: "utf8", timeout: 30_000 },
  );
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

describe("offThread: the tools' worker thread", () => {
  it("answers a job with its result", async () => {
    const hash = await offThread("bcryptHash", "correct horse");
    assert.match(hash, /^\$2a\$10\$/);
    assert.ok(compareSync("correct horse", hash));
  });

  it("answers a job that fails with its error's message", async () => {
    await assert.rejects(offThread("selfSignedCert", {}, new Date()), {
      message: "privateKeyPem is required to sign a self-signed certificate.",
    });
  });

  it("keeps the name and code of a failed job's error", async () => {
    // node's crypto refuses a PEM that holds no key, with an OpenSSL error code.
    await assert.rejects(
      offThread("selfSignedCert", { privateKeyPem: "not a key" }, new Date()),
      (err: Error) => {
        assert.equal(err.name, "Error");
        assert.match(String((err as { code?: string }).code), /^ERR_OSSL_/);
        return true;
      },
    );
  });

  it("rejects a job whose arguments cannot go to another thread, and lets the process end", () => {
    const run = runNode(`host.offThread("bcryptHash", () => "pw").catch((e) => console.log(e.name));`);
    assert.deepEqual([run.status, run.stdout, run.stderr], [0, "DataCloneError\n", ""]);
  });

  it("lays out a Graphviz graph as SVG", async () => {
    const svg = await offThread("svgOf", 'digraph { "load balancer" -> "web" }');
    assert.match(svg, /^<\?xml/);
    assert.match(svg, /<title>load balancer&#45;&gt;web<\/title>/);
  });

  it("keeps the process alive while a job is pending, and not once it is answered", () => {
    const run = runNode(HASH_AND_PRINT_PREFIX);
    assert.deepEqual([run.status, run.stdout, run.stderr], [0, "$2a$10$\n", ""]);
  });

  it("does not keep an idle process alive", () => {
    // A CLI that starts the worker and then fails (a bad stack) must still exit.
    const run = runNode(`host.warmUp("selfSignedCert", "svgOf"); process.exitCode = 2;`);
    assert.deepEqual([run.status, run.stderr], [2, ""]);
  });

  it("runs from the build, as npm start and the e2e providers run it", () => {
    execFileSync(process.execPath, [path.join(REPO, "tools", "build", "run.mjs")]);
    const run = runNode(HASH_AND_PRINT_PREFIX, {
      built: true,
    });
    assert.deepEqual([run.status, run.stdout, run.stderr], [0, "$2a$10$\n", ""]);
  });

  it("runs from source under node flags a worker's own execArgv may not repeat", () => {
    const run = runNode(HASH_AND_PRINT_PREFIX, {
      flags: ["--stack-size=2000"],
    });
    assert.deepEqual([run.status, run.stdout, run.stderr], [0, "$2a$10$\n", ""]);
  });
});
