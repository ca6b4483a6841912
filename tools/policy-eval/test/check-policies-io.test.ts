import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type * as sarif from "sarif";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { resourcesOf } from "../cli/inputs";
import { UNKNOWN } from "../../../policies/lib/unknowns";
import { packPolicies } from "../../../policies/pack";
import { spawnSync } from "child_process";
import { checkAll, REPO, Run } from "./cliHarness";
import {
  CONFIG_DIR,
  compliantStack,
  FIXTURE_PATH,
  stackWith,
  TestResource,
} from "../../../policies/test/util";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "check-policies-io-"));
const write = (name: string, content: unknown) => {
  fs.writeFileSync(path.join(dir, name), JSON.stringify(content));
  return path.join(dir, name);
};

/** SSH open to the world, and a single-zone primary: one finding per kind of location. */
const insecure = stackWith((r) => {
  r("fw-web-ssh").props.sourceRanges = ["0.0.0.0/0"];
  r("db-primary").props.settings.availabilityType = "ZONAL";
});
const DEV = path.join(CONFIG_DIR, "dev.json");

const urnOf = (r: TestResource) => `urn:pulumi:dev::foobar-web::${r.type}::${r.name}`;

/** The stack as `pulumi stack export` writes it: URNs, inputs and outputs, a secret in ciphertext. */
function exported(resources: TestResource[]) {
  const byName = new Map(resources.map((r) => [r.name, r]));
  return {
    version: 3,
    deployment: {
      manifest: { time: "2026-12-02T00:00:00Z" },
      resources: [
        {
          urn: "urn:pulumi:dev::foobar-web::pulumi:pulumi:Stack::foobar-web-dev",
          type: "pulumi:pulumi:Stack",
          custom: false,
        },
        {
          urn: "urn:pulumi:dev::foobar-web::pulumi:providers:gcp::default",
          type: "pulumi:providers:gcp",
          custom: true,
        },
        ...resources.map((r) => ({
          urn: urnOf(r),
          type: r.type,
          custom: !r.type.startsWith("foobar:"),
          inputs: r.props,
          outputs: { ...r.props, password: { [specialSigKey]: specialSecretSig, ciphertext: "v1:abc" } },
          ...(r.parent ? { parent: urnOf(byName.get(r.parent) as TestResource) } : {}),
          dependencies: (r.dependencies ?? []).map((d) => urnOf(byName.get(d) as TestResource)),
        })),
      ],
    },
  };
}

/** The stack as `pulumi preview --json` writes it: one create step per resource. */
function previewed(resources: TestResource[]) {
  const byName = new Map(resources.map((r) => [r.name, r]));
  return {
    steps: resources.map((r) => ({
      op: "create",
      urn: urnOf(r),
      newState: {
        urn: urnOf(r),
        type: r.type,
        inputs: r.props,
        ...(r.parent ? { parent: urnOf(byName.get(r.parent) as TestResource) } : {}),
        dependencies: (r.dependencies ?? []).map((d) => urnOf(byName.get(d) as TestResource)),
      },
    })),
    changeSummary: { create: resources.length },
  };
}

const SSH = "gcp-firewall-disallow-world-ingress-to-sensitive-ports";
const WAIVER_REASON = "Break-glass access while IAP is rolled out";
/** Dev's config with SSH to the world waived on fw-web-ssh until the end of 2099. */
const WAIVING = write("waiving.json", {
  ...(JSON.parse(fs.readFileSync(DEV, "utf8")) as object),
  [SSH]: { exemptions: [{ resource: "fw-web-ssh", reason: WAIVER_REASON, expires: "2099-12-31" }] },
});
/** The same, with the report of waivers made mandatory: waivers then block. */
const WAIVING_MANDATORY = write("waiving-mandatory.json", {
  ...(JSON.parse(fs.readFileSync(WAIVING, "utf8")) as object),
  "gcp-waived-findings": "mandatory",
});

describe("check-policies: formats and inputs", function () {
  this.timeout(180_000);
  let runs: Record<string, Run>;
  before(async () => {
    const insecureFile = write("insecure.json", { resources: insecure });
    fs.mkdirSync(path.join(dir, "work"));
    fs.writeFileSync(path.join(dir, "work", "local.json"), JSON.stringify({ resources: insecure }));
    runs = await checkAll({
      help: [["--help"]],
      shortHelp: [["-h"]],
      text: [[insecureFile, "--config", DEV, "--format", "text"]],
      textClean: [[write("clean.json", { resources: compliantStack() }), "--format=text"]],
      sarif: [[insecureFile, "--config", DEV, "--format", "sarif"]],
      badFormat: [[insecureFile, "--format", "xml"]],
      stdin: [["-", "--config", DEV], { stdin: JSON.stringify({ resources: insecure }) }],
      relative: [
        ["local.json", "--config", path.relative(path.join(dir, "work"), DEV)],
        { initCwd: path.join(dir, "work") },
      ],
      planJson: [
        [
          write("plan.json", {
            stack: "dev",
            policyConfig: null,
            resources: insecure.map((r) => ({ ...r, parent: r.parent ?? null })),
          }),
          "--config",
          DEV,
        ],
      ],
      exportCompliant: [[write("export-ok.json", exported(compliantStack())), "--config", DEV]],
      exportInsecure: [[write("export.json", exported(insecure)), "--config", DEV]],
      previewInsecure: [[write("preview.json", previewed(insecure)), "--config", DEV]],
      previewCompliant: [[write("preview-ok.json", previewed(compliantStack())), "--config", DEV]],
      unknownShape: [[write("other.json", { kind: "List", items: [] })]],
      closedPipe: [[insecureFile, "--format", "sarif"], { closedPipe: true }],
      waivedMandatorySarif: [[insecureFile, "--config", WAIVING_MANDATORY, "--format", "sarif"]],
      ...Object.fromEntries(
        (["json", "text", "sarif"] as const).map((format) => [
          `waived-${format}`,
          [[insecureFile, "--config", WAIVING, "--format", format]],
        ]),
      ),
    });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const policiesOf = (run: Run) =>
    (JSON.parse(run.stdout) as { violations: { policy: string; resource: string }[] }).violations.map((v) => [
      v.policy,
      v.resource,
    ]);
  const INSECURE_FINDINGS = [
    [SSH, "fw-web-ssh"],
    ["gcp-firewall-disallow-public-ingress", "fw-web-ssh"],
    ["gcp-cloudsql-primary-requires-automatic-failover", "db-primary"],
  ];

  it("--help and -h print the usage on stdout and exit 0", () => {
    for (const run of [runs.help, runs.shortHelp]) {
      assert.strictEqual(run.code, 0);
      assert.strictEqual(run.stderr, "");
      assert.match(run.stdout, /^usage: npm run -s check-policies -- <input\.json \| -> /);
      assert.match(run.stdout, /--format <f> +text \(for people\), json/);
    }
  });

  it("--format text: one block per finding and a count, naming the config", () => {
    assert.strictEqual(runs.text.code, 0, runs.text.stderr);
    const lines = runs.text.stdout.split("\n");
    assert.strictEqual(lines[0], `ADVISORY  ${SSH}  gcp:compute/firewall:Firewall fw-web-ssh`);
    assert.match(lines[1], /^ {2}Firewall rule "fw-web-ssh" lets anyone on the internet \(0\.0\.0\.0\/0\)/);
    assert.strictEqual(lines.at(-2), `0 mandatory and 3 advisory violations, under ${DEV}.`);
    assert.strictEqual(
      runs.textClean.stdout,
      "No violations, under the pack's defaults (every policy mandatory).\n",
    );
  });

  it("--format sarif: a SARIF 2.1.0 log with every policy as a rule and each finding at its resource", () => {
    assert.strictEqual(runs.sarif.code, 0, runs.sarif.stderr);
    const log = JSON.parse(runs.sarif.stdout) as sarif.Log;
    assert.strictEqual(log.version, "2.1.0");
    assert.strictEqual(log.$schema, "https://json.schemastore.org/sarif-2.1.0.json");
    const run = log.runs[0];
    const rules = run.tool.driver.rules ?? [];
    assert.deepStrictEqual(
      rules.map((r) => r.id),
      packPolicies.map((p) => p.name),
    );
    for (const r of rules) {
      assert.ok(r.fullDescription?.text && r.helpUri, r.id);
      assert.notStrictEqual(r.help?.text, r.fullDescription?.text, r.id);
      assert.match(String(r.properties?.["security-severity"]), /^\d+\.\d$/, r.id);
    }
    const sshRule = rules.find((r) => r.id === SSH);
    // The policy's own requirement, without its concern's title, which the rule's tags carry.
    assert.strictEqual(
      sshRule?.shortDescription?.text,
      "No ingress rule may open SSH, RDP, database ports (over TCP, UDP or SCTP) or every port to the internet: to any public source range, whatever its prefix or however it is split, other than IAP's.",
    );
    // One per rule: what the rule itself requires, not a title its concern's other rules share.
    assert.strictEqual(new Set(rules.map((r) => r.shortDescription?.text)).size, rules.length);
    assert.deepStrictEqual(sshRule?.properties, {
      "security-severity": "9.5",
      tags: ["security", "concern:firewall"],
    });
    assert.match(
      sshRule?.help?.text ?? "",
      /^Remove the public ranges from the rule's sourceRanges for these ports\./,
    );
    assert.strictEqual(sshRule?.helpUri, "https://cloud.google.com/iap/docs/using-tcp-forwarding");
    const ssh = (run.results ?? []).find((r) => r.ruleId === SSH) as sarif.Result;
    assert.strictEqual(ssh.level, "warning");
    assert.strictEqual(rules[ssh.ruleIndex as number].id, SSH);
    assert.deepStrictEqual(ssh.locations?.[0].logicalLocations, [
      {
        name: "fw-web-ssh",
        fullyQualifiedName: "gcp:compute/firewall:Firewall::fw-web-ssh",
        kind: "resource",
      },
    ]);
    assert.strictEqual(run.results?.length, 3);
    assert.deepStrictEqual(run.properties, { policyConfig: DEV });
  });

  it("reports a waived finding as waived, with its reason and expiry, in every format", () => {
    const json = runs["waived-json"];
    assert.strictEqual(json.code, 0, json.stderr);
    assert.deepStrictEqual(policiesOf(json), [
      ["gcp-firewall-disallow-public-ingress", "fw-web-ssh"],
      ["gcp-cloudsql-primary-requires-automatic-failover", "db-primary"],
      ["gcp-waived-findings", "fw-web-ssh"],
    ]);

    const text = runs["waived-text"].stdout.split("\n");
    const at = text.indexOf("ADVISORY  gcp-waived-findings  gcp:compute/firewall:Firewall fw-web-ssh");
    assert.ok(at >= 0, runs["waived-text"].stdout);
    assert.ok(
      text[at + 1].startsWith(
        `  Waived until 2099-12-31: ${SSH} on "fw-web-ssh", because "${WAIVER_REASON}". The finding: Firewall rule "fw-web-ssh"`,
      ),
      text[at + 1],
    );

    const log = JSON.parse(runs["waived-sarif"].stdout) as sarif.Log;
    const results = log.runs[0].results ?? [];
    assert.deepStrictEqual(
      results.map((r) => [r.ruleId, r.suppressions?.length ?? 0]),
      [
        ["gcp-firewall-disallow-public-ingress", 0],
        ["gcp-cloudsql-primary-requires-automatic-failover", 0],
        [SSH, 1],
      ],
    );
    const waived = results[2];
    assert.deepStrictEqual(waived.suppressions, [
      {
        kind: "external",
        status: "accepted",
        justification: WAIVER_REASON,
        properties: { expires: "2099-12-31" },
      },
    ]);
    assert.match(waived.message.text ?? "", /^Firewall rule "fw-web-ssh" lets anyone on the internet/);
    assert.strictEqual(log.runs[0].tool.driver.rules?.[waived.ruleIndex as number].id, SSH);
  });

  it("SARIF: a waiver whose report is mandatory is an error of gcp-waived-findings, not a dismissed result", () => {
    const run = runs.waivedMandatorySarif;
    assert.strictEqual(run.code, 1, run.stderr);
    const results = (JSON.parse(run.stdout) as sarif.Log).runs[0].results ?? [];
    const waiver = results.find((r) => r.ruleId === "gcp-waived-findings");
    assert.strictEqual(waiver?.level, "error");
    assert.strictEqual(waiver?.suppressions, undefined);
    assert.deepStrictEqual(
      results.filter((r) => r.suppressions !== undefined),
      [],
    );
  });

  it("ends quietly with the verdict's exit code when the reader closes the pipe early", () => {
    assert.deepStrictEqual([runs.closedPipe.code, runs.closedPipe.stderr], [1, ""]);
  });

  it("refuses an unknown format with exit 2", () => {
    assert.strictEqual(runs.badFormat.code, 2);
    assert.strictEqual(runs.badFormat.stdout, "");
    assert.match(
      runs.badFormat.stderr,
      /^check-policies: --format "xml" is not one of text, json, sarif; usage: /,
    );
  });

  it("reads standard input for -, and paths from the folder npm was run in", () => {
    assert.deepStrictEqual(policiesOf(runs.stdin), INSECURE_FINDINGS);
    assert.deepStrictEqual(policiesOf(runs.relative), INSECURE_FINDINGS, runs.relative.stderr);
  });

  it("reads the offline plan's --json, top-level parents written as null", () => {
    assert.deepStrictEqual(policiesOf(runs.planJson), INSECURE_FINDINGS, runs.planJson.stderr);
  });

  it("reads pulumi stack export: names from URNs, references by URN, providers and the stack left out, secrets unknown", () => {
    assert.deepStrictEqual(policiesOf(runs.exportCompliant), [], runs.exportCompliant.stderr);
    assert.deepStrictEqual(policiesOf(runs.exportInsecure), INSECURE_FINDINGS);
  });

  it("reads pulumi preview --json from its steps' new states", () => {
    assert.deepStrictEqual(policiesOf(runs.previewCompliant), [], runs.previewCompliant.stderr);
    assert.deepStrictEqual(policiesOf(runs.previewInsecure), INSECURE_FINDINGS);
  });

  it("names the formats it reads when the input is none of them", () => {
    assert.strictEqual(runs.unknownShape.code, 2);
    assert.match(
      runs.unknownShape.stderr,
      /is none of the inputs check-policies reads: .*`pulumi stack export` or `pulumi preview --json`\n$/,
    );
  });
});

describe("check-policies: reading the engine's state", () => {
  it("turns secrets into unknown values and gives resources that share a name their type", () => {
    const state = {
      deployment: {
        resources: [
          { urn: "urn:pulumi:dev::p::foobar:network:Network::net", type: "foobar:network:Network" },
          {
            urn: "urn:pulumi:dev::p::foobar:network:Network$gcp:compute/network:Network::net",
            type: "gcp:compute/network:Network",
            parent: "urn:pulumi:dev::p::foobar:network:Network::net",
            inputs: {
              autoCreateSubnetworks: false,
              secretish: { [specialSigKey]: specialSecretSig, ciphertext: "x" },
            },
            outputs: { selfLink: "https://compute/net", autoCreateSubnetworks: true },
            dependencies: ["urn:pulumi:dev::p::foobar:network:Network::net"],
          },
        ],
      },
    };
    assert.deepStrictEqual(resourcesOf(state, "test"), [
      {
        type: "foobar:network:Network",
        name: "net [foobar:network:Network]",
        urn: state.deployment.resources[0].urn,
        props: {},
        dependencies: [],
      },
      {
        type: "gcp:compute/network:Network",
        name: "net [gcp:compute/network:Network]",
        urn: state.deployment.resources[1].urn,
        // Inputs over outputs, as policies see them at `pulumi up`.
        props: { selfLink: "https://compute/net", autoCreateSubnetworks: false, secretish: UNKNOWN },
        dependencies: ["net [foobar:network:Network]"],
        parent: "net [foobar:network:Network]",
      },
    ]);
  });
});

describe("check-policies as npm runs it: built JavaScript through tools/build/run.mjs", function () {
  this.timeout(120_000);
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(REPO, "tools", "build", "run.mjs"), ...args], {
      cwd: REPO,
      encoding: "utf8",
    });

  it("writes SARIF naming the pack's version, read from policies/package.json", () => {
    const result = run("tools/policy-eval/cli/check-policies", FIXTURE_PATH, "--format", "sarif");
    assert.strictEqual(result.status, 0, result.stderr);
    const log = JSON.parse(result.stdout) as sarif.Log;
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO, "policies", "package.json"), "utf8")) as {
      version: string;
    };
    assert.strictEqual(log.runs[0].tool.driver.version, manifest.version);
  });

  it("refuses an entry point that does not exist with exit 2 and one line", () => {
    const result = run("tools/policy-eval/cli/no-such-cli");
    assert.strictEqual(result.status, 2);
    assert.strictEqual(
      result.stderr,
      "error: no entry point tools/policy-eval/cli/no-such-cli (looked for out/build/tools/policy-eval/cli/no-such-cli.js)\n",
    );
  });
});
