/**
 * The end-to-end suite (`npm run test:e2e`): the real `pulumi` CLI and engine, the policy pack and the
 * stack files, against emulated gcp, tls and random providers (tools/e2e/providers/, backed by tools/sim/).
 *
 * For the dev and prod stacks: preview with the policy pack, up, a preview that must find no changes,
 * no password or private key in clear in the state, (prod) an insecure override the pack must stop, and
 * destroy. Everything happens in one temporary directory; the CLI comes from tools/pulumi-cli/build.sh.
 *
 * Environment: E2E_PROJECT=<dir> runs another project; E2E_STACKS=dev runs a subset; E2E_VERBOSE=1
 * echoes command output; E2E_KEEP=1 keeps the temporary directory.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { CommandFailed, CommandResult, mustSucceed, runCommand } from "./lib/command";
import { findPulumiCli } from "./lib/cli";
import { findLeaks, loadRecordedSecrets } from "./lib/secrets";
import { REPO, Workspace, createWorkspace, pulumiEnv } from "./lib/workspace";

let workspaceRoot: string | undefined;

const MINUTE = 60;
const timings: { step: string; seconds: number; ok: boolean }[] = [];
/** Seconds of single previews, for the summary: the empty program's, and each stack's with and without the pack. */
const previewSeconds: Record<string, number> = {};

async function timed(body: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await body();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

class ScenarioFailed extends Error {
  constructor(
    message: string,
    readonly result?: CommandResult,
  ) {
    super(message);
  }
}

async function step<T>(name: string, body: () => Promise<T>): Promise<T> {
  process.stdout.write(`\n== ${name}\n`);
  const started = process.hrtime.bigint();
  const elapsed = (): number => Number(process.hrtime.bigint() - started) / 1e9;
  try {
    const result = await body();
    timings.push({ step: name, seconds: elapsed(), ok: true });
    process.stdout.write(`   ok (${elapsed().toFixed(1)}s)\n`);
    return result;
  } catch (error) {
    timings.push({ step: name, seconds: elapsed(), ok: false });
    throw error;
  }
}

/** The names of the program's stack outputs: the `export const` declarations of its entry point. */
function expectedOutputs(project: string): string[] {
  const entry = readFileSync(path.join(project, "index.ts"), "utf8");
  return [...entry.matchAll(/^export const (\w+)/gm)].map((m) => m[1]);
}

function projectName(project: string): string {
  return /^name:\s*(\S+)/m.exec(readFileSync(path.join(project, "Pulumi.yaml"), "utf8"))?.[1] ?? "";
}

interface JournalLine {
  op: string;
  type: string;
  id: string;
  urn: string;
  references?: string[];
}

/** One emulated provider's journal for one stack, in the order the calls came; empty when it has none. */
function journal(workspace: Workspace, pkg: string, stack: string): JournalLine[] {
  let text = "";
  try {
    text = readFileSync(path.join(workspace.simState, `${pkg}.journal.jsonl`), "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as JournalLine)
    .filter((entry) => entry.urn.startsWith(`urn:pulumi:${stack}::`));
}

/** The journal's resources still alive in the emulated cloud, for one stack. */
function liveEmulatedResources(workspace: Workspace, stack: string): string[] {
  const live = new Map<string, string>();
  for (const entry of ["gcp", "tls", "random"].flatMap((pkg) => journal(workspace, pkg, stack))) {
    const key = `${entry.type} ${entry.id}`;
    if (entry.op === "delete") {
      live.delete(key);
    } else {
      live.set(key, entry.urn);
    }
  }
  return [...live.values()];
}

const TEMPLATE = "gcp:compute/instanceTemplate:InstanceTemplate";
const GROUP = "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager";

/** The "Policies:" section of a preview's output: each pack, its violations and their messages. */
function policySection(output: string): string[] {
  const lines = output.split("\n");
  const start = lines.findIndex((line) => /^Policies:/.test(line));
  if (start < 0) {
    return [];
  }
  const end = lines.findIndex((line, i) => i > start && line.trim() !== "" && !/^\s/.test(line));
  return lines.slice(start, end < 0 ? undefined : end).filter((line) => line.trim() !== "");
}

/**
 * The firewall rule that admits SSH, in a stack export or a preview's JSON, opened to the world: what a
 * policy check of that document must then report.
 */
function openSshToTheWorld(document: { deployment?: { resources?: unknown[] }; steps?: unknown[] }): unknown {
  const states = document.deployment
    ? (document.deployment.resources ?? []).map(
        (r) => r as { type?: string; inputs?: Record<string, unknown> },
      )
    : (document.steps ?? []).map(
        (step) => (step as { newState?: { type?: string; inputs?: Record<string, unknown> } }).newState ?? {},
      );
  const ssh = states.find(
    (state) =>
      state.type === "gcp:compute/firewall:Firewall" &&
      JSON.stringify(state.inputs?.allows ?? []).includes('"22"'),
  );
  if (!ssh?.inputs) throw new ScenarioFailed("no firewall rule admitting SSH in the document");
  ssh.inputs.sourceRanges = ["0.0.0.0/0"];
  return document;
}

async function main(): Promise<void> {
  const suiteStarted = process.hrtime.bigint();
  const workspace = createWorkspace();
  workspaceRoot = workspace.root;
  process.stdout.write(`e2e workspace: ${workspace.root}\nproject: ${workspace.projectSource}\n`);

  const cli = await step("find or build the pulumi CLI (tools/pulumi-cli/build.sh)", () =>
    findPulumiCli(process.env, pulumiEnv(workspace, ""), workspace.project),
  );
  process.stdout.write(`   pulumi ${cli.version} from ${cli.binDir}\n`);
  const env = pulumiEnv(workspace, cli.binDir);
  const project = workspace.project;
  const pulumiPath = path.join(cli.binDir, "pulumi");
  const pulumi = (args: readonly string[], timeoutSeconds: number): Promise<CommandResult> =>
    mustSucceed(pulumiPath, [...args, "--non-interactive", "--color", "never"], {
      cwd: project,
      env,
      timeoutSeconds,
    });
  const pulumiAnyExit = (args: readonly string[], timeoutSeconds: number): Promise<CommandResult> =>
    runCommand(pulumiPath, [...args, "--non-interactive", "--color", "never"], {
      cwd: project,
      env,
      timeoutSeconds,
    });

  await step("log in to a file backend in the workspace", () =>
    pulumi(["login", `file://${workspace.backend}`], MINUTE),
  );

  // The same CLI's preview of a program that declares nothing: what every preview pays (the engine, the
  // language host, the SDK), for the timing summary to compare the stacks' previews with.
  await step("preview of an empty program, for the timing summary", async () => {
    const empty = path.join(workspace.root, "empty-program");
    mkdirSync(empty);
    writeFileSync(
      path.join(empty, "Pulumi.yaml"),
      "name: e2e-empty\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n",
    );
    writeFileSync(path.join(empty, "index.ts"), "export {};\n");
    writeFileSync(path.join(empty, "package.json"), '{ "name": "e2e-empty", "main": "index.ts" }\n');
    symlinkSync(path.join(REPO, "node_modules"), path.join(empty, "node_modules"), "dir");
    const inEmpty = { cwd: empty, env, timeoutSeconds: 5 * MINUTE };
    const flags = ["--non-interactive", "--color", "never"];
    await mustSucceed(
      pulumiPath,
      ["stack", "init", "empty", "--secrets-provider", "passphrase", ...flags],
      inEmpty,
    );
    previewSeconds.empty = await timed(() =>
      mustSucceed(pulumiPath, ["preview", "--stack", "empty", ...flags], inEmpty),
    );
  });

  const stacks = (process.env.E2E_STACKS ?? "dev,prod").split(",").map((s) => s.trim());
  const outputsExpected = expectedOutputs(project);
  for (const stack of stacks) {
    const stackFile = path.join(project, `Pulumi.${stack}.yaml`);
    const policyConfig = path.join(project, "policies", "config", `${stack}.json`);
    const policyArgs = [
      "--policy-pack",
      path.join(project, "policies"),
      "--policy-pack-config",
      policyConfig,
    ];
    const onStack = ["--stack", stack];

    // check-policies is tooling of this repository, not part of the project the engine deploys.
    const checkPoliciesCli = path.join(REPO, "tools", "policy-eval", "cli", "check-policies.ts");
    const canCheckPolicies = workspace.projectSource === REPO && existsSync(checkPoliciesCli);
    /** check-policies, with the stack's policy config, on a document the CLI wrote. */
    const check = async (label: string, document: unknown) => {
      const input = path.join(workspace.root, `${stack}-${label}.json`);
      writeFileSync(input, JSON.stringify(document));
      const checked = await runCommand(
        process.execPath,
        ["--require", "tsx/cjs", checkPoliciesCli, input, "--config", policyConfig],
        { cwd: project, env, timeoutSeconds: 2 * MINUTE, quiet: true },
      );
      if (checked.exitCode === 2)
        throw new ScenarioFailed(`check-policies could not read the ${label}`, checked);
      const reported = (
        JSON.parse(checked.stdout) as {
          violations: { policy: string; resource: string; enforcementLevel: string; message: string }[];
        }
      ).violations;
      // A policy that reads a value not known until the update says it can't run, as the engine's does.
      const cantRun = reported.filter((v) => v.message.startsWith("can't run policy "));
      return { checked, found: reported.filter((v) => !cantRun.includes(v)), cantRun };
    };

    /**
     * check-policies on a document the CLI wrote: clean as the engine found the stack, and the same document
     * with SSH opened to the world reported, which shows its resources were read.
     */
    const checkOffline = async (name: string, text: string): Promise<string> => {
      if (!canCheckPolicies) return "check-policies: not part of this project";
      const clean = await check(name, JSON.parse(text));
      if (clean.found.length > 0) {
        throw new ScenarioFailed(
          `check-policies on the ${name} found what the engine did not`,
          clean.checked,
        );
      }
      const tampered = await check(`${name}-ssh-open`, openSshToTheWorld(JSON.parse(text)));
      const ssh = tampered.found.filter(
        (v) => v.policy === "gcp-firewall-disallow-world-ingress-to-sensitive-ports",
      );
      if (ssh.length !== 1) {
        throw new ScenarioFailed(
          `check-policies on the ${name} missed SSH opened to the world`,
          tampered.checked,
        );
      }
      const waiting = clean.cantRun.length > 0 ? ` (${clean.cantRun.length} checks wait for the update)` : "";
      return `check-policies on the ${name}: clean${waiting}, and SSH opened to the world is found on ${ssh[0].resource}`;
    };

    await step(`[${stack}] stack init`, () =>
      pulumi(["stack", "init", stack, "--secrets-provider", "passphrase"], MINUTE),
    );

    await step(
      `[${stack}] 1. preview with the policy pack, and check-policies on the preview's JSON`,
      async () => {
        readFileSync(policyConfig); // a clear error when the stack's policy config is missing
        const result = await pulumi(["preview", ...onStack, ...policyArgs], 10 * MINUTE);
        if (!/^Policies:/m.test(result.output) || !/\(local: /.test(result.output)) {
          throw new ScenarioFailed(
            "the preview output does not show the policy pack (no 'Policies:' section)",
            result,
          );
        }
        process.stdout.write(
          policySection(result.output)
            .map((line) => `   | ${line}\n`)
            .join(""),
        );
        // Before the first up every resource is a create step; later previews list only what changes.
        const previewed = await pulumi(["preview", "--json", ...onStack], 10 * MINUTE);
        process.stdout.write(`   ${await checkOffline("preview", previewed.stdout)}\n`);
      },
    );

    await step(`[${stack}] 2. up with the policy pack; every stack output is set`, async () => {
      await pulumi(["up", "--yes", "--skip-preview", ...onStack, ...policyArgs], 15 * MINUTE);
      const outputs = await pulumi(["stack", "output", "--json", ...onStack], MINUTE);
      const values = JSON.parse(outputs.stdout) as Record<string, unknown>;
      const missing = outputsExpected.filter((name) => values[name] === undefined || values[name] === null);
      const empty = outputsExpected.filter(
        (name) =>
          values[name] === "" || (Array.isArray(values[name]) && (values[name] as unknown[]).length === 0),
      );
      if (missing.length > 0 || empty.length > 0) {
        throw new ScenarioFailed(
          `stack outputs missing: [${missing.join(", ")}], empty: [${empty.join(", ")}] (expected ${outputsExpected.join(", ")})`,
          outputs,
        );
      }
      process.stdout.write(`   outputs: ${outputsExpected.join(", ")}\n`);
    });

    await step(
      `[${stack}] 3. a second preview finds no changes, with the policy pack and without`,
      async () => {
        previewSeconds[`${stack} with the policy pack`] = await timed(() =>
          pulumi(["preview", "--expect-no-changes", ...onStack, ...policyArgs], 10 * MINUTE),
        );
        previewSeconds[stack] = await timed(() =>
          pulumi(["preview", "--expect-no-changes", ...onStack], 10 * MINUTE),
        );
      },
    );

    await step(`[${stack}] 4. no password or private key in clear in the state`, async () => {
      const exported = await pulumi(["stack", "export", ...onStack], MINUTE);
      const outputs = await pulumi(["stack", "output", "--json", ...onStack], MINUTE);
      const secrets = loadRecordedSecrets(workspace.simState).filter((s) =>
        s.urn.startsWith(`urn:pulumi:${stack}::`),
      );
      const passwords = secrets.filter((s) => s.kind === "password").length;
      const keys = secrets.filter((s) => s.kind === "private-key").length;
      if (passwords === 0) {
        throw new ScenarioFailed(
          "the emulated providers recorded no database password for this stack to search for",
        );
      }
      const leaks = [...findLeaks(exported.stdout, secrets), ...findLeaks(outputs.stdout, secrets)];
      if (leaks.length > 0) {
        throw new ScenarioFailed(
          `in clear in the stack export or outputs: ${[...new Set(leaks)].join("; ")}`,
        );
      }
      if (!exported.stdout.includes('"ciphertext"')) {
        throw new ScenarioFailed("the stack export holds no encrypted secret at all", exported);
      }
      process.stdout.write(
        `   searched for ${passwords} password value(s) and ${keys} private key value(s): none found\n`,
      );
    });

    await step(
      `[${stack}] 4b. check-policies finds the deployed stack as clean as the engine did, from pulumi stack export`,
      async () => {
        const exported = await pulumi(["stack", "export", ...onStack], MINUTE);
        process.stdout.write(`   ${await checkOffline("export", exported.stdout)}\n`);
      },
    );

    await step(
      `[${stack}] 5. a new machine type rolls out a new template: made first, the group moved, the old one deleted last`,
      async () => {
        const before = journal(workspace, "gcp", stack).length;
        await pulumi(["config", "set", "machineType", "e2-standard-2", ...onStack], MINUTE);
        await pulumi(["up", "--yes", "--skip-preview", ...onStack, ...policyArgs], 15 * MINUTE);
        const calls = journal(workspace, "gcp", stack)
          .slice(before)
          .filter((entry) => entry.type === TEMPLATE || entry.type === GROUP);
        const made = calls.findIndex((c) => c.type === TEMPLATE && c.op === "create");
        const moved = calls.findIndex(
          (c) => c.type === GROUP && c.op === "update" && (c.references ?? []).includes(calls[made]?.id),
        );
        const deleted = calls.findIndex((c) => c.type === TEMPLATE && c.op === "delete");
        const order = calls.map((c) => `${c.op} ${c.type.split(":").pop()}`).join(", ");
        if (made < 0 || moved < made || deleted < moved || calls[deleted].id === calls[made].id) {
          throw new ScenarioFailed(`the template change did not roll out as create, move, delete: ${order}`);
        }
        process.stdout.write(`   ${order}\n`);
        await pulumi(["preview", "--expect-no-changes", ...onStack, ...policyArgs], 10 * MINUTE);
      },
    );

    if (stack === "prod") {
      await step(
        `[${stack}] 5b. drift: SSH opened to the world behind Pulumi's back is found by refresh and by check-policies, planned back by preview and put back by up`,
        async () => {
          type State = { urn: string; type: string; id: string; inputs?: Record<string, unknown> };
          const states = async () =>
            (
              JSON.parse((await pulumi(["stack", "export", ...onStack], MINUTE)).stdout) as {
                deployment: { resources: State[] };
              }
            ).deployment.resources;
          const ssh = (await states()).find(
            (r) =>
              r.type === "gcp:compute/firewall:Firewall" &&
              JSON.stringify(r.inputs?.allows ?? []).includes('"22"'),
          );
          if (!ssh) throw new ScenarioFailed("no firewall rule admitting SSH in the stack");
          const intended = JSON.stringify(ssh.inputs?.sourceRanges);
          const driftFile = path.join(workspace.simState, "gcp.drift.json");
          writeFileSync(
            driftFile,
            JSON.stringify({ [`${ssh.type} ${ssh.id}`]: { sourceRanges: ["0.0.0.0/0"] } }),
          );
          try {
            await pulumi(["refresh", "--yes", "--skip-preview", ...onStack], 10 * MINUTE);
            const afterRefresh = await states();
            const refreshed = afterRefresh.find((r) => r.urn === ssh.urn);
            if (JSON.stringify(refreshed?.inputs?.sourceRanges) !== '["0.0.0.0/0"]') {
              throw new ScenarioFailed(
                `refresh did not bring the drift into the state: sourceRanges ${JSON.stringify(refreshed?.inputs?.sourceRanges)}`,
              );
            }
            if (canCheckPolicies) {
              const name = ssh.urn.split("::").pop() as string;
              const audit = await check("refreshed-export", { deployment: { resources: afterRefresh } });
              const sshFinding = audit.found.find(
                (v) =>
                  v.policy === "gcp-firewall-disallow-world-ingress-to-sensitive-ports" &&
                  v.resource === name,
              );
              if (audit.checked.exitCode !== 1 || sshFinding?.enforcementLevel !== "mandatory") {
                throw new ScenarioFailed(
                  "check-policies on the refreshed export did not report the drift as a mandatory violation",
                  audit.checked,
                );
              }
              process.stdout.write(
                `   check-policies on the refreshed state: ${sshFinding.policy} on ${name}\n`,
              );
            }

            const planned = await pulumi(["preview", "--json", ...onStack, ...policyArgs], 10 * MINUTE);
            const steps =
              (JSON.parse(planned.stdout) as { steps?: { op: string; urn: string }[] }).steps ?? [];
            const changes = steps
              .filter((s) => s.op !== "same")
              .map((s) => `${s.op} ${s.urn.split("::").pop()}`);
            if (changes.length !== 1 || changes[0] !== `update ${ssh.urn.split("::").pop()}`) {
              throw new ScenarioFailed(`the preview after refresh plans [${changes.join(", ")}]`, planned);
            }

            await pulumi(["up", "--yes", "--skip-preview", ...onStack, ...policyArgs], 15 * MINUTE);
            const restored = (await states()).find((r) => r.urn === ssh.urn);
            if (JSON.stringify(restored?.inputs?.sourceRanges) !== intended) {
              throw new ScenarioFailed(
                `up left sourceRanges ${JSON.stringify(restored?.inputs?.sourceRanges)}`,
              );
            }
            await pulumi(
              ["refresh", "--yes", "--skip-preview", "--expect-no-changes", ...onStack],
              10 * MINUTE,
            );
            await pulumi(["preview", "--expect-no-changes", ...onStack, ...policyArgs], 10 * MINUTE);
            process.stdout.write(`   ${changes[0]}: sourceRanges back to ${intended}\n`);
          } finally {
            // Should the step fail before up ends it, the open rule must not leak into the later steps.
            rmSync(driftFile, { force: true });
          }
        },
      );

      await step(
        `[${stack}] 6. an insecure override fails the preview with prod's mandatory policies, and passes with both findings waived`,
        async () => {
          const original = readFileSync(stackFile, "utf8");
          try {
            await pulumi(["config", "set", "dbHighAvailability", "false", ...onStack], MINUTE);
            await pulumi(["config", "set", "dbReplicaCount", "0", ...onStack], MINUTE);
            const result = await pulumiAnyExit(["preview", ...onStack, ...policyArgs], 10 * MINUTE);
            if (result.timedOut || result.exitCode === 0) {
              throw new ScenarioFailed("the preview with the insecure override did not fail", result);
            }
            // The policies meant for this override, at prod's level and with their severity, with the words that
            // say what to change.
            if (
              !/\[mandatory\] \[severity: high\]\s+gcp-cloudsql-primary-requires-automatic-failover/.test(
                result.output,
              ) ||
              !/\[mandatory\] \[severity: medium\]\s+gcp-cloudsql-primary-requires-read-replica/.test(
                result.output,
              ) ||
              !result.output.includes('set settings.availabilityType to "REGIONAL"')
            ) {
              throw new ScenarioFailed(
                "the failing preview does not carry a mandatory availability policy's message",
                result,
              );
            }
            const section = policySection(result.output);
            if (!section.some((line) => /mandatory/.test(line))) {
              throw new ScenarioFailed(
                "the failing preview's Policies section shows no mandatory violation",
                result,
              );
            }
            process.stdout.write(section.map((line) => `   | ${line}\n`).join(""));

            // The same preview with both findings waived in the policy config passes, and the engine
            // reports each waiver, advisory, with its reason.
            const waived = JSON.parse(readFileSync(policyConfig, "utf8")) as Record<string, unknown>;
            const waiver = {
              exemptions: [
                { resource: "foobar-db-primary", reason: "e2e: a deliberate single-zone primary" },
              ],
            };
            waived["gcp-cloudsql-primary-requires-automatic-failover"] = { ...waiver };
            waived["gcp-cloudsql-primary-requires-read-replica"] = { ...waiver };
            const waivedConfig = path.join(workspace.root, `${stack}-waived.json`);
            writeFileSync(waivedConfig, JSON.stringify(waived));
            const passing = await pulumiAnyExit(
              [
                "preview",
                ...onStack,
                "--policy-pack",
                path.join(project, "policies"),
                "--policy-pack-config",
                waivedConfig,
              ],
              10 * MINUTE,
            );
            const reported =
              passing.output.match(/Waived with no end date: gcp-cloudsql-primary-requires-[a-z-]+/g) ?? [];
            if (
              passing.exitCode !== 0 ||
              !/\[advisory\] \[severity: low\]\s+gcp-waived-findings/.test(passing.output) ||
              reported.length !== 2
            ) {
              throw new ScenarioFailed(
                "the preview with both findings waived did not pass and report the waivers",
                passing,
              );
            }
            process.stdout.write(`   waived: ${reported.join("; ")}\n`);
          } finally {
            writeFileSync(stackFile, original);
          }
        },
      );
    }

    await step(
      `[${stack}] 7. destroy empties the stack and leaves only the VPC held by Cloud SQL's peering`,
      async () => {
        const config = await pulumi(["config", "--json", ...onStack], MINUTE);
        const protectedDb = (JSON.parse(config.stdout) as Record<string, { value?: unknown }>)[
          `${projectName(project)}:dbDeletionProtection`
        ];
        if (String(protectedDb?.value) !== "false") {
          // As a user decommissioning a protected stack would: lift deletion protection, apply, then destroy.
          await pulumi(
            ["config", "set", "--type", "bool", "dbDeletionProtection", "false", ...onStack],
            MINUTE,
          );
          await pulumi(["up", "--yes", "--skip-preview", ...onStack], 15 * MINUTE);
        }
        await pulumi(["destroy", "--yes", "--skip-preview", ...onStack], 15 * MINUTE);
        const exported = await pulumi(["stack", "export", ...onStack], MINUTE);
        const resources = (JSON.parse(exported.stdout) as { deployment?: { resources?: unknown[] } })
          .deployment?.resources;
        if (resources && resources.length > 0) {
          throw new ScenarioFailed(
            `${resources.length} resource(s) left in the stack after destroy`,
            exported,
          );
        }
        // What a real destroy must leave, and nothing more: the abandoned private services connection (Cloud
        // SQL holds it for days) keeps its peering on the VPC, so the VPC and the peered range are retained.
        const left = liveEmulatedResources(workspace, stack)
          .map((urn) => urn.split("::").slice(2).join("::"))
          .sort();
        const expected = [
          "foobar:index:WebStack$foobar:network:Network$gcp:compute/globalAddress:GlobalAddress::foobar-net-private-services-range",
          "foobar:index:WebStack$foobar:network:Network$gcp:compute/network:Network::foobar-net-vpc",
          "foobar:index:WebStack$foobar:network:Network$gcp:servicenetworking/connection:Connection::foobar-net-private-services-peering",
        ];
        if (JSON.stringify(left) !== JSON.stringify(expected)) {
          throw new ScenarioFailed(
            `left in the emulated cloud: [${left.join(", ")}]; expected only [${expected.join(", ")}]`,
          );
        }
        process.stdout.write(
          `   left for the cleanup after Cloud SQL's wait: ${left.map((u) => u.split("::")[1]).join(", ")}\n`,
        );
      },
    );
  }

  const total = Number(process.hrtime.bigint() - suiteStarted) / 1e9;
  printTimings(total);
  if (process.env.E2E_KEEP !== "1") {
    rmSync(workspace.root, { recursive: true, force: true });
  }
}

function printTimings(total: number): void {
  process.stdout.write("\nstep timings:\n");
  for (const t of timings) {
    process.stdout.write(`  ${t.ok ? "ok  " : "FAIL"} ${t.seconds.toFixed(1).padStart(7)}s  ${t.step}\n`);
  }
  process.stdout.write(`  total ${total.toFixed(1)}s\n`);
  const empty = previewSeconds.empty;
  if (empty !== undefined) {
    process.stdout.write(
      `\npreview times (the same CLI; the program runs transpile-only, npm test type-checks):\n`,
    );
    for (const [name, seconds] of Object.entries(previewSeconds)) {
      const ratio = name === "empty" ? "" : `, ${(seconds / empty).toFixed(2)}× the empty program`;
      process.stdout.write(`  ${seconds.toFixed(1).padStart(6)}s  ${name}${ratio}\n`);
    }
  }
  const passed = timings.filter((t) => t.ok).length;
  process.stdout.write(`${passed} passed, ${timings.length - passed} failed\n`);
}

main().catch((error: unknown) => {
  const result = error instanceof CommandFailed || error instanceof ScenarioFailed ? error.result : undefined;
  process.stdout.write(`\nFAILED: ${error instanceof Error ? error.message : String(error)}\n`);
  if (result) {
    process.stdout.write(
      `command: ${result.command}\n--- output ---\n${result.output}\n--- end of output ---\n`,
    );
  }
  printTimings(timings.reduce((sum, t) => sum + t.seconds, 0));
  if (workspaceRoot) {
    process.stdout.write(`workspace kept for inspection: ${workspaceRoot}\n`);
  }
  process.exit(1);
});
