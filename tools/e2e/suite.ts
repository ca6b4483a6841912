/**
 * The end-to-end suite (`npm run test:e2e`): Pulumi's Automation API driving the real CLI and engine, with
 * the policy pack and the stack files, against emulated gcp, tls and random providers (tools/e2e/providers/,
 * backed by tools/sim/). One mocha test per step; a stack's steps stop at its first failure.
 *
 * Environment: E2E_STACKS=dev runs a subset; E2E_VERBOSE=1 echoes the CLI's output; E2E_KEEP=1 keeps the
 * temporary directory (kept anyway when a step fails).
 */
import * as assert from "node:assert";
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, LocalWorkspaceOptions, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { Audit, checkAsCleanAsTheEngine, checkPolicies, SSH_POLICY, sshRule } from "./lib/checkPolicies";
import { findPulumiCli, mustSucceed } from "./lib/command";
import { findLeaks, journal, liveResources, loadRecordedSecrets } from "./lib/emulatedCloud";
import { describeFindings, recordEvents } from "./lib/engineEvents";
import { createEmptyProgram, createWorkspace, pulumiEnv, Workspace } from "./lib/workspace";

const MINUTE = 60_000;
const STACKS = (process.env.E2E_STACKS ?? "dev,prod").split(",").map((s) => s.trim());
const TEMPLATE = "gcp:compute/instanceTemplate:InstanceTemplate";
const GROUP = "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager";

interface Suite {
  workspace: Workspace;
  pulumiCommand: PulumiCommand;
  env: Record<string, string>;
  options: LocalWorkspaceOptions;
}
let suite: Suite;
let keepWorkspace = process.env.E2E_KEEP === "1";
/** Seconds of single previews: the empty program's, and each stack's with and without the pack. */
const previewSeconds: Record<string, number> = {};

const log = (line: string) => process.stdout.write(`      ${line}\n`);

/** Bounds an operation in time and, with E2E_VERBOSE=1, echoes the CLI's output. */
const bounded = (minutes: number) => ({
  signal: AbortSignal.timeout(minutes * MINUTE),
  onOutput: process.env.E2E_VERBOSE === "1" ? (out: string) => process.stdout.write(out) : undefined,
});

async function timed(body: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await body();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** The names of the program's stack outputs: the `export const` declarations of its entry point. */
function expectedOutputs(project: string): string[] {
  const entry = readFileSync(path.join(project, "index.ts"), "utf8");
  return [...entry.matchAll(/^export const (\w+)/gm)].map((m) => m[1]);
}

before(async function () {
  this.timeout(60 * MINUTE); // the first run builds the CLI from source
  const workspace = createWorkspace();
  log(`e2e workspace: ${workspace.root}`);
  const binDir = await findPulumiCli();
  // The Automation API runs <root>/bin/pulumi.
  const root = path.join(workspace.root, "cli");
  mkdirSync(root);
  symlinkSync(binDir, path.join(root, "bin"), "dir");
  const pulumiCommand = await PulumiCommand.get({ root });
  const env = pulumiEnv(workspace, binDir);
  const options = { pulumiCommand, pulumiHome: workspace.home, envVars: env, secretsProvider: "passphrase" };
  suite = { workspace, pulumiCommand, env, options };
  log(`pulumi ${pulumiCommand.version} from ${binDir}`);
});

afterEach(function () {
  if (this.currentTest?.state === "failed") keepWorkspace = true;
});

after(() => {
  const empty = previewSeconds.empty;
  if (empty !== undefined) {
    process.stdout.write(
      "\npreview times (the same CLI; the program runs transpile-only, npm test type-checks):\n",
    );
    for (const [name, seconds] of Object.entries(previewSeconds)) {
      const ratio = name === "empty" ? "" : `, ${(seconds / empty).toFixed(2)}× the empty program`;
      process.stdout.write(`  ${seconds.toFixed(1).padStart(6)}s  ${name}${ratio}\n`);
    }
  }
  if (!suite) return;
  if (keepWorkspace) process.stdout.write(`workspace kept for inspection: ${suite.workspace.root}\n`);
  else rmSync(suite.workspace.root, { recursive: true, force: true });
});

describe("an empty program", () => {
  // What every preview pays (the engine, the language host, the SDK), for the timing summary.
  it("previews, as the baseline of the timing summary", async () => {
    const empty = createEmptyProgram(suite.workspace);
    const stack = await LocalWorkspace.createStack({ stackName: "empty", workDir: empty }, suite.options);
    previewSeconds.empty = await timed(() => stack.preview(bounded(5)));
  });
});

for (const name of STACKS) {
  describe(`the ${name} stack`, () => {
    // Each step builds on the last: after a failure the stack's remaining steps are skipped, and the other
    // stacks still run (mocha's bail would end the whole run).
    let failed = false;
    beforeEach(function () {
      if (failed) this.skip();
    });
    afterEach(function () {
      if (this.currentTest?.state === "failed") failed = true;
    });
    let stack: Stack;
    let project: string;
    let policyConfig: string;
    let audit: Audit;
    const withPack = (config = policyConfig) => ({
      policyPacks: [path.join(project, "policies")],
      policyPackConfigs: [config],
    });
    /** The same CLI run directly on the stack, for what the Automation API does not do (stdout). */
    const cli = async (args: string[], timeoutSeconds: number) => {
      const command = [...args, "--stack", name, "--non-interactive"];
      const options = { cwd: project, env: suite.env, timeoutSeconds };
      return (await mustSucceed(suite.pulumiCommand.command, command, options)).stdout;
    };
    /**
     * `pulumi stack export` as a user or a CI job runs it. Not exportStack(): the Automation API exports
     * with --show-secrets, for a round trip through importStack.
     */
    const exported = () => cli(["stack", "export"], 60);

    before(async () => {
      project = suite.workspace.project;
      policyConfig = path.join(project, "policies", "config", `${name}.json`);
      readFileSync(policyConfig); // a clear error when the stack's policy config is missing
      audit = { folder: suite.workspace.root, policyConfig, env: suite.env };
      stack = await LocalWorkspace.createStack({ stackName: name, workDir: project }, suite.options);
    });

    it("1. previews with the policy pack, and check-policies agrees on the preview's JSON", async () => {
      const events = recordEvents();
      await stack.preview({ ...withPack(), onEvent: events.onEvent, ...bounded(10) });
      // The engine says what each pack checked: every resource, then the stack.
      const packs = events.stackAnalyses.map((a) => a.policyPackName);
      assert.strictEqual(packs.length, 1, `the preview ran ${packs.length} policy packs' stack policies`);
      const { passed = [], failed = [] } = events.stackAnalyses[0];
      const analyzed = new Set(events.resourceAnalyses.map((a) => a.resourceUrn));
      assert.ok(passed.length > 0, "no stack policy passed");
      assert.ok(analyzed.size > 0, "the pack analyzed no resource");
      log(
        `${packs[0]}: ${analyzed.size} resources analyzed; stack policies: ${passed.length} passed, ` +
          `${failed.length} reported (${failed.join(", ") || "none"})`,
      );
      describeFindings(events.findings).forEach(log);
      // Before the first up every resource is a create step; later previews list only what changes.
      // The Automation API has no `pulumi preview --json`, which check-policies reads: the same CLI runs it.
      log(await checkAsCleanAsTheEngine(audit, `${name}-preview`, await cli(["preview", "--json"], 600)));
    });

    it("2. ups with the policy pack, and sets every stack output", async () => {
      await stack.up({ ...withPack(), ...bounded(15) });
      const outputs = await stack.outputs();
      const expected = expectedOutputs(project);
      const empty = (value: unknown) =>
        value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0);
      const unset = expected.filter((key) => empty(outputs[key]?.value));
      assert.deepStrictEqual(unset, [], `stack outputs missing or empty (expected ${expected.join(", ")})`);
      log(`outputs: ${expected.join(", ")}`);
    });

    it("3. previews again and finds no changes, with the policy pack and without", async () => {
      previewSeconds[`${name} with the policy pack`] = await timed(() =>
        stack.preview({ ...withPack(), expectNoChanges: true, ...bounded(10) }),
      );
      previewSeconds[name] = await timed(() => stack.preview({ expectNoChanges: true, ...bounded(10) }));
    });

    it("4. keeps no password or private key in clear in the state or in an output not marked secret", async () => {
      const state = await exported();
      const secrets = loadRecordedSecrets(suite.workspace.simState).filter((s) =>
        s.urn.startsWith(`urn:pulumi:${name}::`),
      );
      const passwords = secrets.filter((s) => s.kind === "password").length;
      const keys = secrets.filter((s) => s.kind === "private-key").length;
      assert.ok(
        passwords > 0,
        "the emulated providers recorded no database password for this stack to search for",
      );
      assert.deepStrictEqual([...new Set(findLeaks(state, secrets))], [], "in clear in the stack export");
      assert.ok(state.includes('"ciphertext"'), "the stack export holds no encrypted secret at all");
      // outputs() decrypts secret outputs; a password or key may only be in one marked secret.
      const outputs = await stack.outputs();
      const plain = Object.entries(outputs).filter(([, output]) => !output.secret);
      const leaks = plain.flatMap(([key, output]) =>
        findLeaks(JSON.stringify(output.value), secrets).map((leak) => `${key}: ${leak}`),
      );
      assert.deepStrictEqual(leaks, [], "in clear in an output not marked secret");
      log(`searched for ${passwords} password value(s) and ${keys} private key value(s): none found`);
    });

    it("4b. check-policies finds the deployed stack as clean as the engine did, from its export", async () => {
      log(await checkAsCleanAsTheEngine(audit, `${name}-export`, await exported()));
    });

    it("5. rolls out a new machine type as a new template: made first, the group moved, the old one deleted last", async () => {
      const before = journal(suite.workspace.simState, "gcp", name).length;
      await stack.setConfig("machineType", { value: "e2-standard-2" });
      await stack.up({ ...withPack(), ...bounded(15) });
      const calls = journal(suite.workspace.simState, "gcp", name)
        .slice(before)
        .filter((entry) => entry.type === TEMPLATE || entry.type === GROUP);
      const order = calls.map((c) => `${c.op} ${c.type.split(":").pop()}`).join(", ");
      const made = calls.findIndex((c) => c.type === TEMPLATE && c.op === "create");
      const moved = calls.findIndex(
        (c) => c.type === GROUP && c.op === "update" && (c.references ?? []).includes(calls[made]?.id),
      );
      const deleted = calls.findIndex((c) => c.type === TEMPLATE && c.op === "delete");
      assert.ok(
        made >= 0 && moved > made && deleted > moved && calls[deleted].id !== calls[made].id,
        `the template change did not roll out as create, move, delete: ${order}`,
      );
      log(order);
      await stack.preview({ ...withPack(), expectNoChanges: true, ...bounded(10) });
    });

    if (name === "prod") {
      it("5b. drift: SSH opened to the world behind Pulumi's back is found by refresh and check-policies, planned back and put back", async () => {
        type State = { urn: string; type: string; id: string; inputs?: Record<string, unknown> };
        const states = async () => (await stack.exportStack()).deployment.resources as State[];
        const ssh = sshRule(await states());
        assert.ok(ssh, "no firewall rule admitting SSH in the stack");
        const intended = JSON.stringify(ssh.inputs?.sourceRanges);
        const driftFile = path.join(suite.workspace.simState, "gcp.drift.json");
        writeFileSync(
          driftFile,
          JSON.stringify({ [`${ssh.type} ${ssh.id}`]: { sourceRanges: ["0.0.0.0/0"] } }),
        );
        try {
          await stack.refresh(bounded(10));
          const afterRefresh = await states();
          const refreshed = afterRefresh.find((r) => r.urn === ssh.urn);
          assert.deepStrictEqual(
            refreshed?.inputs?.sourceRanges,
            ["0.0.0.0/0"],
            "refresh did not bring the drift into the state",
          );
          const rule = ssh.urn.split("::").pop() as string;
          const refreshedExport = { deployment: { resources: afterRefresh } };
          const checked = await checkPolicies(audit, `${name}-refreshed-export`, refreshedExport);
          const finding = checked.found.find((v) => v.policy === SSH_POLICY && v.resource === rule);
          assert.strictEqual(checked.exitCode, 1, "check-policies on the refreshed export did not fail");
          assert.strictEqual(finding?.enforcementLevel, "mandatory", "check-policies missed the drift");
          log(`check-policies on the refreshed state: ${finding.policy} on ${rule}`);
          const planned = recordEvents();
          await stack.preview({ ...withPack(), onEvent: planned.onEvent, ...bounded(10) });
          const changes = planned.changes.map((c) => `${c.op} ${c.urn.split("::").pop()}`);
          assert.deepStrictEqual(
            changes,
            [`update ${rule}`],
            "the preview after refresh plans other changes",
          );
          await stack.up({ ...withPack(), ...bounded(15) });
          const restored = (await states()).find((r) => r.urn === ssh.urn);
          assert.strictEqual(
            JSON.stringify(restored?.inputs?.sourceRanges),
            intended,
            "up did not put the range back",
          );
          await stack.refresh({ expectNoChanges: true, ...bounded(10) });
          await stack.preview({ ...withPack(), expectNoChanges: true, ...bounded(10) });
          log(`${changes[0]}: sourceRanges back to ${intended}`);
        } finally {
          // Should the step fail before up ends it, the open rule must not leak into the later steps.
          rmSync(driftFile, { force: true });
        }
      });

      it("6. an insecure override fails the preview under prod's mandatory policies, and passes with both findings waived", async () => {
        const stackFile = path.join(project, `Pulumi.${name}.yaml`);
        const original = readFileSync(stackFile, "utf8");
        try {
          await stack.setConfig("dbHighAvailability", { value: "false" });
          await stack.setConfig("dbReplicaCount", { value: "0" });
          const failing = recordEvents();
          await assert.rejects(stack.preview({ ...withPack(), onEvent: failing.onEvent, ...bounded(10) }));
          describeFindings(failing.findings).forEach(log);
          const mandatory = failing.findings.filter((f) => f.enforcementLevel === "mandatory");
          // The policies meant for this override, at prod's level and severity, with the words that say what to change.
          const failover = mandatory.find(
            (f) => f.policyName === "gcp-cloudsql-primary-requires-automatic-failover",
          );
          const replica = mandatory.find(
            (f) => f.policyName === "gcp-cloudsql-primary-requires-read-replica",
          );
          assert.strictEqual(failover?.severity, "high");
          assert.ok(
            failover.message.includes('set settings.availabilityType to "REGIONAL"'),
            failover.message,
          );
          assert.strictEqual(replica?.severity, "medium");

          // Both findings waived in the policy config: the preview passes, and the engine reports each
          // waiver, advisory, with its reason.
          const waived = JSON.parse(readFileSync(policyConfig, "utf8")) as Record<string, unknown>;
          const waiver = {
            exemptions: [{ resource: "foobar-db-primary", reason: "e2e: a deliberate single-zone primary" }],
          };
          waived["gcp-cloudsql-primary-requires-automatic-failover"] = waiver;
          waived["gcp-cloudsql-primary-requires-read-replica"] = waiver;
          const waivedConfig = path.join(suite.workspace.root, `${name}-waived.json`);
          writeFileSync(waivedConfig, JSON.stringify(waived));
          const passing = recordEvents();
          await stack.preview({ ...withPack(waivedConfig), onEvent: passing.onEvent, ...bounded(10) });
          const reports = passing.findings.filter((f) => f.policyName === "gcp-waived-findings");
          // One advisory report per waived finding, naming the policy it waives.
          const waivers = reports.map((f) => {
            const waived = /Waived with no end date: (gcp-[a-z0-9-]+)/.exec(f.message)?.[1];
            return [f.enforcementLevel, f.severity, waived, f.resourceUrn?.split("::").pop()];
          });
          assert.deepStrictEqual(
            waivers.sort(),
            [
              ["advisory", "low", "gcp-cloudsql-primary-requires-automatic-failover", "foobar-db-primary"],
              ["advisory", "low", "gcp-cloudsql-primary-requires-read-replica", "foobar-db-primary"],
            ],
            reports.map((f) => f.message).join("\n"),
          );
          assert.deepStrictEqual(
            passing.findings.filter((f) => f.enforcementLevel === "mandatory"),
            [],
          );
          log(`waived: ${waivers.map((w) => w[2]).join(", ")}`);
        } finally {
          writeFileSync(stackFile, original);
        }
      });
    }

    it("7. destroy empties the stack and leaves only the VPC held by Cloud SQL's peering", async () => {
      const config = Object.entries(await stack.getAllConfig());
      if (config.find(([key]) => key.endsWith(":dbDeletionProtection"))?.[1].value !== "false") {
        // As a user decommissioning a protected stack would: lift deletion protection, apply, then destroy.
        await stack.setConfig("dbDeletionProtection", { value: "false" });
        await stack.up(bounded(15));
      }
      await stack.destroy(bounded(15));
      const left = (await stack.exportStack()).deployment.resources ?? [];
      assert.strictEqual(left.length, 0, `${left.length} resource(s) left in the stack after destroy`);
      // What a real destroy must leave, and nothing more: the abandoned private services connection (Cloud
      // SQL holds it for days) keeps its peering on the VPC, so the VPC and the peered range are retained.
      const live = liveResources(suite.workspace.simState, name)
        .map((urn) => urn.split("::").slice(2).join("::"))
        .sort();
      const network = "foobar:index:WebStack$foobar:network:Network";
      assert.deepStrictEqual(live, [
        `${network}$gcp:compute/globalAddress:GlobalAddress::foobar-net-private-services-range`,
        `${network}$gcp:compute/network:Network::foobar-net-vpc`,
        `${network}$gcp:servicenetworking/connection:Connection::foobar-net-private-services-peering`,
      ]);
      log(`left for the cleanup after Cloud SQL's wait: ${live.map((u) => u.split("::")[1]).join(", ")}`);
    });
  });
}
