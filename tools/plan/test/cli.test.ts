import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { XMLParser } from "fast-xml-parser";
import { listStacks } from "../../../config/stackFiles";

const root = path.resolve(__dirname, "../../..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-cli-"));

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the plan; with `closedPipe`, the reader closes standard output before the plan writes anything. */
function plan(...args: string[]): Promise<Result> {
  return run(args, false);
}

function run(args: string[], closedPipe: boolean): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--require", "tsx/cjs", path.join(root, "tools/plan/cli.ts"), ...args],
      {
        cwd: root,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    if (closedPipe) child.stdout.destroy();
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const diagram = (name: string) => path.join(tmp, `${name}.svg`);
const notADirectory = path.join(tmp, "plain-file");
fs.writeFileSync(notADirectory, "");

describe("npm start (the offline plan)", function () {
  this.timeout(120_000);

  describe("dev, for a person", () => {
    let result: Result;
    before(async () => {
      result = await plan("--diagram", diagram("dev"));
    });

    it("exits 0 and writes nothing on stderr", () => {
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stderr, "");
    });

    it("prints the resource tree and the count by type", () => {
      const lines = result.stdout.split("\n");
      assert.ok(lines.includes("Resources: 62 to create, in 7 components"));
      assert.ok(lines.includes("+ foobar:index:WebStack  foobar"));
      assert.ok(lines.includes("  + foobar:web:WebTier  foobar-web"));
      assert.ok(
        lines.includes(
          "    + gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager  foobar-web-group",
        ),
      );
      assert.ok(lines.includes("    + gcp:sql/databaseInstance:DatabaseInstance  foobar-db-replica-1"));
      assert.ok(lines.includes("    5  gcp:compute/firewall:Firewall"));
      assert.ok(lines.includes("    1  gcp:compute/instanceTemplate:InstanceTemplate"));
    });

    it("reports every concern of the design as passing under dev's policy config", () => {
      assert.match(
        result.stdout,
        /^Policy pack foobar-web with policies\/config\/dev\.json: no violations\.$/m,
      );
      const verdicts = result.stdout.match(/^\[(pass|FAIL)\] .*$/gm) ?? [];
      assert.deepEqual(verdicts, [
        "[pass] A firewall in front of every server",
        "[pass] HTTPS only, one trusted certificate",
        "[pass] No TLS termination at the load balancer",
        "[pass] No single MySQL writer",
        "[pass] No identical components on every server",
        "[pass] Monitoring on every server, and QPS monitoring",
        "[pass] No single point of failure in front or behind",
        "[pass] Hardening",
      ]);
    });

    it("analyses the loss of each zone", () => {
      assert.match(
        result.stdout,
        /^us-central1-a: 2 of 3 web servers still serve \(the managed group recreates the lost ones in the other zones\); the database fails over to its standby and keeps accepting writes; the site stays up\.$/m,
      );
      assert.match(result.stdout, /^Verdict: No single zone takes the site down\.$/m);
    });

    it("writes an SVG diagram of the stack and says where", () => {
      assert.match(
        result.stdout,
        new RegExp(`^Diagram: ${diagram("dev").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m"),
      );
      // Graphviz writes some characters as numeric entities (a hyphen as &#45;).
      const svg = fs
        .readFileSync(diagram("dev"), "utf8")
        .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
      const parsed = new XMLParser({ ignoreAttributes: false }).parse(svg);
      assert.ok(parsed.svg, "the document's root element is <svg>");
      assert.match(String(parsed.svg["@_viewBox"]), /^[\d.]+ [\d.]+ [\d.]+ [\d.]+$/);
      for (const text of [
        "Global HTTPS load balancer",
        "Self-signed certificate",
        "zone us-central1-b",
        "read replica",
        "Cloud SQL standby",
        "Uptime check",
      ]) {
        assert.ok(svg.includes(text), `the diagram shows ${text}`);
      }
    });

    it("is the output the README shows", () => {
      const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
      const block = /Its output on the dev stack[^\n]*\n+```\n([\s\S]*?)\n```/.exec(readme)?.[1];
      assert.ok(block, "README.md has the dev plan's output");
      const printed = new Set(result.stdout.split("\n"));
      const stale = block
        .split("\n")
        // The README shortens the count by type, and the diagram's path is this test's own.
        .filter((line) => line !== "  ... (one line per type)" && !line.startsWith("Diagram: "))
        .filter((line) => !printed.has(line));
      assert.deepEqual(stale, [], "lines of the README's plan output that npm start no longer prints");
    });

    it("never prints a secret", () => {
      assert.doesNotMatch(result.stdout, /PRIVATE KEY/);
    });
  });

  describe("prod, as JSON", () => {
    let result: Result;
    let doc: Record<string, unknown>;
    before(async () => {
      result = await plan("--stack", "prod", "--json", "--diagram", diagram("prod"));
      doc = JSON.parse(result.stdout);
    });

    it("prints one JSON document with the documented keys and exits 0", () => {
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(Object.keys(doc), [
        "stack",
        "policyConfig",
        "resources",
        "violations",
        "concerns",
        "zoneFailure",
        "zoneFailureVerdict",
        "outputs",
        "diagram",
      ]);
      assert.equal(doc.stack, "prod");
      assert.equal(doc.policyConfig, "policies/config/prod.json");
      assert.deepEqual(doc.violations, []);
      assert.equal(doc.diagram, diagram("prod"));
      assert.ok(fs.existsSync(diagram("prod")));
    });

    it("lists resources with type, name, parent, dependencies and props", () => {
      const resources = doc.resources as {
        type: string;
        name: string;
        parent: string | null;
        dependencies: string[];
        props: Record<string, unknown>;
      }[];
      const cert = resources.find(
        (r) => r.type === "gcp:compute/managedSslCertificate:ManagedSslCertificate",
      );
      assert.deepEqual(Object.keys(cert ?? {}), ["type", "name", "parent", "dependencies", "props"]);
      assert.deepEqual(
        [cert?.name, cert?.parent, cert?.props.managed],
        ["foobar-lb-cert", "foobar-lb", { domains: ["www.foobar.com"] }],
      );
      const user = resources.find((r) => r.type === "gcp:sql/user:User");
      assert.equal(user?.props.password, "[secret]");
    });

    it("shows from the dependencies that the VMs' template waits for Cloud NAT, and the group for the template", () => {
      const resources = doc.resources as { name: string; dependencies: string[] }[];
      const dependenciesOf = (name: string) => resources.find((r) => r.name === name)?.dependencies ?? [];
      assert.deepEqual(dependenciesOf("foobar-web-template").sort(), [
        "foobar-db-app-password-version",
        "foobar-db-app-user",
        "foobar-db-db",
        "foobar-db-primary",
        "foobar-db-replica-1",
        "foobar-db-replica-2",
        "foobar-net-nat",
        "foobar-net-subnet",
        "foobar-web-db-password-reader",
        "foobar-web-logWriter",
        "foobar-web-metricWriter",
        "foobar-web-sa",
      ]);
      assert.deepEqual(dependenciesOf("foobar-web-group").sort(), [
        "foobar-web-autoheal",
        "foobar-web-template",
      ]);
    });

    it("gives each concern its status, policies and violations", () => {
      const concerns = doc.concerns as {
        concern: string;
        status: string;
        policies: string[];
        violations: unknown[];
      }[];
      assert.deepEqual(
        concerns.map((c) => [c.concern, c.status, c.violations.length]),
        [
          ["firewall", "pass", 0],
          ["https", "pass", 0],
          ["backend-tls", "pass", 0],
          ["database", "pass", 0],
          ["tier-separation", "pass", 0],
          ["monitoring", "pass", 0],
          ["availability", "pass", 0],
          ["hardening", "pass", 0],
        ],
      );
      assert.ok(concerns[1].policies.includes("gcp-https-proxy-requires-managed-certificate"));
    });

    it("gives the zone analysis per zone", () => {
      assert.deepEqual(doc.zoneFailure, [
        {
          zone: "us-central1-a",
          webServersLeft: 2,
          webServersTotal: 3,
          webServersRecreated: true,
          databaseWrites: "failover",
          databaseReads: true,
          siteUp: true,
          summary:
            "2 of 3 web servers still serve (the managed group recreates the lost ones in the other zones); the database fails over to its standby and keeps accepting writes; the site stays up.",
        },
        {
          zone: "us-central1-b",
          webServersLeft: 2,
          webServersTotal: 3,
          webServersRecreated: true,
          databaseWrites: "yes",
          databaseReads: true,
          siteUp: true,
          summary:
            "2 of 3 web servers still serve (the managed group recreates the lost ones in the other zones); the database primary is unaffected; the site stays up.",
        },
        {
          zone: "us-central1-c",
          webServersLeft: 2,
          webServersTotal: 3,
          webServersRecreated: true,
          databaseWrites: "yes",
          databaseReads: true,
          siteUp: true,
          summary:
            "2 of 3 web servers still serve (the managed group recreates the lost ones in the other zones); the database primary is unaffected; the site stays up.",
        },
      ]);
    });
  });

  describe("exit codes for violations", () => {
    const insecure = ["--set", "dbHighAvailability=false", "--set", "dbReplicaCount=0"];

    it("prod with an insecure override: mandatory violations, exit 1", async () => {
      const result = await plan(
        "--stack",
        "prod",
        "--json",
        "--diagram",
        diagram("prod-insecure"),
        ...insecure,
      );
      assert.equal(result.code, 1, result.stderr);
      const doc = JSON.parse(result.stdout);
      assert.deepEqual(
        doc.violations.map((v: Record<string, string>) => [v.policy, v.resource, v.enforcementLevel]),
        [
          ["gcp-cloudsql-primary-requires-automatic-failover", "foobar-db-primary", "mandatory"],
          ["gcp-cloudsql-primary-requires-read-replica", "foobar-db-primary", "mandatory"],
        ],
      );
      assert.equal(doc.concerns.find((c: { concern: string }) => c.concern === "database").status, "fail");
      assert.equal(doc.zoneFailureVerdict, "Losing us-central1-a takes the site down.");
    });

    it("ends quietly with the same exit code when the reader closes the pipe early (| head)", async () => {
      const prod = await run(
        ["--stack", "prod", "--json", "--diagram", diagram("prod-epipe"), ...insecure],
        true,
      );
      assert.deepEqual([prod.code, prod.stderr], [1, ""]);
      const dev = await run(["--diagram", diagram("dev-epipe")], true);
      assert.deepEqual([dev.code, dev.stderr], [0, ""]);
    });

    it("dev with the same override: advisory violations only, exit 0", async () => {
      const result = await plan("--json", "--diagram", diagram("dev-insecure"), ...insecure);
      assert.equal(result.code, 0, result.stderr);
      const doc = JSON.parse(result.stdout);
      assert.deepEqual(
        doc.violations.map((v: Record<string, string>) => v.enforcementLevel),
        ["advisory", "advisory"],
      );
    });

    describe("a new stack without a policy config", () => {
      // A stack file only for these cases, removed afterwards: a copy of prod in a project of its own.
      const stackFile = path.join(root, "Pulumi.policy-less.yaml");
      before(() =>
        fs.writeFileSync(
          stackFile,
          fs
            .readFileSync(path.join(root, "Pulumi.prod.yaml"), "utf8")
            .replace("foobar-web-prod", "foobar-web-new"),
        ),
      );
      after(() => fs.rmSync(stackFile, { force: true }));

      it("is checked with every policy mandatory, and says so", async () => {
        const result = await plan("--stack", "policy-less", "--diagram", diagram("policy-less"), ...insecure);
        assert.equal(result.code, 1, result.stderr);
        assert.match(
          result.stdout,
          /^Policy pack foobar-web with the pack's defaults, every policy mandatory \(no policy config for this stack\): 2 mandatory and 0 advisory violations\./m,
        );
        const json = await plan(
          "--stack",
          "policy-less",
          "--json",
          "--diagram",
          diagram("policy-less"),
          ...insecure,
        );
        const doc = JSON.parse(json.stdout);
        assert.equal(doc.policyConfig, null);
        assert.deepEqual(
          doc.violations.map((v: Record<string, string>) => v.enforcementLevel),
          ["mandatory", "mandatory"],
        );
      });
    });

    it("a stack whose zones are all one zone is reported as taken down by that zone", async () => {
      const result = await plan(
        "--json",
        "--diagram",
        diagram("one-zone"),
        "--set",
        'zones=["us-central1-f"]',
      );
      const doc = JSON.parse(result.stdout);
      assert.equal(doc.zoneFailureVerdict, "Losing us-central1-f takes the site down.");
      assert.deepEqual(
        doc.violations.map((v: Record<string, string>) => v.policy),
        ["gcp-backend-pool-requires-two-zones"],
      );
    });
    describe("a stack whose committed policy config does not fit the pack", () => {
      // A stack and a policy config only for this case, removed afterwards.
      const stackFile = path.join(root, "Pulumi.misfit.yaml");
      const policyConfig = path.join(root, "policies", "config", "misfit.json");
      before(() => {
        fs.copyFileSync(path.join(root, "Pulumi.dev.yaml"), stackFile);
        fs.writeFileSync(policyConfig, JSON.stringify({ "gcp-no-such-policy": "mandatory" }));
      });
      after(() => [stackFile, policyConfig].forEach((file) => fs.rmSync(file, { force: true })));

      it("is exit 2 with one line naming the stray policy, and nothing on stdout", async () => {
        const result = await plan("--stack", "misfit", "--diagram", diagram("misfit"));
        assert.equal(result.code, 2);
        assert.equal(result.stdout, "");
        assert.equal(
          result.stderr,
          'error: "gcp-no-such-policy" is not a policy of this pack (its policies are listed in docs/concerns.md)\n',
        );
      });
    });
  });

  describe("bad invocations: exit 2, one line on stderr, nothing on stdout", () => {
    const cases: [string[], string][] = [
      [
        ["--stack", "no-such-stack"],
        `error: Unknown stack "no-such-stack": there is no Pulumi.no-such-stack.yaml; stacks: ${listStacks(root).join(", ")}.`,
      ],
      [
        ["--stack", "../etc"],
        `error: Unknown stack "../etc": there is no Pulumi.../etc.yaml; stacks: ${listStacks(root).join(", ")}.`,
      ],
      [
        ["--set", "webInstanceCount=0"],
        'error: Config "foobar-web:webInstanceCount" has the invalid value "0"; expected a whole number of 1 or more.',
      ],
      [
        ["--set", "certificate=acme"],
        'error: Config "foobar-web:certificate" has the invalid value "acme"; expected one of "managed", "self-signed".',
      ],
      [
        ["--set", "webInstanceCuont=4"],
        'error: Config "foobar-web:webInstanceCuont" has the invalid value "4"; expected a key of this project: domain, webInstanceCount, zones, machineType, certificate, dbTier, dbVersion, dbHighAvailability, dbReplicaCount, dbDeletionProtection, qpsAlertThreshold, sloAvailabilityPercent, sloLatencyPercent, sloLatencyMs, trafficDropPercent, vmMemoryAlertPercent, vmDiskAlertPercent, dbCpuAlertPercent, dbDiskAlertPercent, dbReplicaLagAlertSeconds, alertEmail, edgeSecurityMode, rateLimitPerMinute, appImage, dnsZone.',
      ],
      [
        ["--set", "nokeyvalue"],
        'error: --set needs <key>=<value>, got "nokeyvalue"; usage: npm start -- [--stack <name>] [--json] [--diagram <file.svg>] [--set <key>=<value> ...] [--help]',
      ],
      [
        ["--stack"],
        "error: --stack needs a value; usage: npm start -- [--stack <name>] [--json] [--diagram <file.svg>] [--set <key>=<value> ...] [--help]",
      ],
      [
        ["--stack", "--json"],
        "error: --stack needs a value; usage: npm start -- [--stack <name>] [--json] [--diagram <file.svg>] [--set <key>=<value> ...] [--help]",
      ],
      [
        ["--stack="],
        "error: --stack needs a value; usage: npm start -- [--stack <name>] [--json] [--diagram <file.svg>] [--set <key>=<value> ...] [--help]",
      ],
      [
        ["prod"],
        'error: unexpected argument "prod"; usage: npm start -- [--stack <name>] [--json] [--diagram <file.svg>] [--set <key>=<value> ...] [--help]',
      ],
      [
        ["--verbose"],
        'error: unknown option "--verbose"; usage: npm start -- [--stack <name>] [--json] [--diagram <file.svg>] [--set <key>=<value> ...] [--help]',
      ],
      [
        ["--json=yes"],
        "error: --json takes no value; usage: npm start -- [--stack <name>] [--json] [--diagram <file.svg>] [--set <key>=<value> ...] [--help]",
      ],
      [
        ["--diagram", path.join(notADirectory, "architecture.svg")],
        `error: Cannot write the diagram to ${path.join(notADirectory, "architecture.svg")}: part of that path is a file, not a folder.`,
      ],
    ];
    for (const [args, message] of cases) {
      it(`${args.join(" ")}`, async () => {
        const result = await plan("--json", ...args);
        assert.deepEqual([result.code, result.stdout, result.stderr], [2, "", `${message}\n`]);
      });
    }
  });

  it("--help prints the usage and exits 0", async () => {
    const result = await plan("--help");
    assert.deepEqual(
      [result.code, result.stdout],
      [
        0,
        "usage: npm start -- [--stack <name>] [--json] [--diagram <file.svg>] [--set <key>=<value> ...] [--help]\n",
      ],
    );
  });
});
