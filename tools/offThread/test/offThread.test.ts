import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { compareSync } from "bcryptjs";
import { offThread } from "..";

const host = path.join(__dirname, "..", "index.ts");

/**
 * Runs `script` in a fresh node with the worker host loaded as `host`: its exit code (null when it had not
 * exited after 30 s) and output.
 */
function runNode(script: string): { status: number | null; stdout: string; stderr: string } {
  const child = spawnSync(
    process.execPath,
    [
      "--require",
      require.resolve("tsx/cjs"),
      "-e",
      `const host = require(${JSON.stringify(host)}); ${script}`,
    ],
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

  it("lays out a Graphviz graph as SVG", async () => {
    const svg = await offThread("svgOf", 'digraph { "load balancer" -> "web" }');
    assert.match(svg, /^<\?xml/);
    assert.match(svg, /<title>load balancer&#45;&gt;web<\/title>/);
  });

  it("keeps the process alive while a job is pending, and not once it is answered", () => {
    const run = runNode(`host.offThread("bcryptHash", "pw").then((h) => console.log(h.slice(0, 7)));`);
    assert.deepEqual([run.status, run.stdout, run.stderr], [0, "$2a$10$\n", ""]);
  });

  it("does not keep an idle process alive", () => {
    // A CLI that starts the worker and then fails (a bad stack) must still exit.
    const run = runNode(`host.warmUp(); process.exitCode = 2;`);
    assert.deepEqual([run.status, run.stderr], [2, ""]);
  });
});
