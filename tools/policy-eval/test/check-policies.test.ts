import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Violation } from "../evaluate";
import { checkAll, Run } from "./cliHarness";
import { CONFIG_DIR, FIXTURE_PATH, Props, stackWith, TestResource } from "../../../policies/test/util";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "check-policies-"));
function file(name: string, content: unknown): string {
  const at = path.join(dir, name);
  fs.writeFileSync(at, typeof content === "string" ? content : JSON.stringify(content));
  return at;
}
const resourcesFile = (name: string, resources: unknown[]) => file(name, { resources });

/** The compliant stack, as the program would have it in dev, with insecure changes. */
const insecure = stackWith((r) => {
  r("fw-web-ssh").props.sourceRanges = ["0.0.0.0/0"];
  r("db-primary").props.settings.availabilityType = "ZONAL";
});

/** A small stack whose references are only self-links in props, or only names in dependencies. */
function pool(by: "self-links" | "dependencies"): Props[] {
  const link = (kind: string, name: string, zone = "us-central1-a") =>
    `https://www.googleapis.com/compute/v1/projects/p/zones/${zone}/${kind}/${name}`;
  const selfLinks = by === "self-links";
  return [
    {
      type: "gcp:compute/instance:Instance",
      name: "vm-a",
      props: { zone: "us-central1-a", selfLink: link("instances", "vm-a") },
    },
    {
      type: "gcp:compute/instance:Instance",
      name: "vm-b",
      props: { zone: "us-central1-a", selfLink: link("instances", "vm-b") },
    },
    {
      type: "gcp:compute/instanceGroup:InstanceGroup",
      name: "group-a",
      props: {
        zone: "us-central1-a",
        ...(selfLinks ? { instances: [link("instances", "vm-a"), link("instances", "vm-b")] } : {}),
      },
      ...(selfLinks ? {} : { dependencies: ["vm-a", "vm-b"] }),
    },
    {
      type: "gcp:compute/backendService:BackendService",
      name: "backend",
      props: {
        protocol: "HTTPS",
        loadBalancingScheme: "EXTERNAL_MANAGED",
        ...(selfLinks ? { backends: [{ group: link("instanceGroups", "group-a") }] } : {}),
      },
      ...(selfLinks ? {} : { dependencies: ["group-a"] }),
    },
  ];
}

const cases: Record<string, string[]> = {
  compliant: [FIXTURE_PATH],
  compliantDev: [FIXTURE_PATH, "--config", path.join(CONFIG_DIR, "dev.json")],
  compliantProd: [FIXTURE_PATH, "--config", path.join(CONFIG_DIR, "prod.json")],
  insecureDev: [resourcesFile("insecure-dev.json", insecure), "--config", path.join(CONFIG_DIR, "dev.json")],
  insecureWithoutConfig: [resourcesFile("insecure-without-config.json", insecure)],
  insecureProd: [
    resourcesFile("insecure-prod.json", insecure),
    `--config=${path.join(CONFIG_DIR, "prod.json")}`,
  ],
  bySelfLinks: [resourcesFile("by-self-links.json", pool("self-links"))],
  byDependencies: [resourcesFile("by-dependencies.json", pool("dependencies"))],
  // Bad invocations and bad input: exit 2, one line on stderr, nothing on stdout.
  noArguments: [],
  unknownOption: [FIXTURE_PATH, "--verbose"],
  configWithoutFile: [FIXTURE_PATH, "--config"],
  missingFile: [path.join(dir, "nope.json")],
  unreadableFile: [dir],
  malformedJson: [file("malformed.json", '{"resources": [')],
  noResourcesList: [file("no-list.json", { items: [] })],
  resourcesNotAList: [file("not-a-list.json", { resources: { a: 1 } })],
  entryWithoutType: [resourcesFile("no-type.json", [{ name: "a", props: {} }])],
  entryWithoutName: [resourcesFile("no-name.json", [{ type: "gcp:compute/network:Network", props: {} }])],
  propsNotAnObject: [
    resourcesFile("props-list.json", [{ type: "gcp:compute/network:Network", name: "a", props: [] }]),
  ],
  propsOfTheWrongShape: [
    resourcesFile("wrong-shape.json", [
      {
        type: "gcp:compute/firewall:Firewall",
        name: "fw",
        props: { network: "n", sourceRanges: "0.0.0.0/0", allows: [{ protocol: "tcp", ports: ["22"] }] },
      },
    ]),
  ],
  duplicateNames: [
    resourcesFile("duplicates.json", [
      { type: "gcp:compute/network:Network", name: "a", props: {} },
      { type: "gcp:compute/firewall:Firewall", name: "a", props: {} },
    ]),
  ],
  unknownDependency: [
    resourcesFile("unknown-dependency.json", [
      { type: "gcp:compute/network:Network", name: "a", props: {}, dependencies: ["b"] },
    ]),
  ],
  missingConfig: [FIXTURE_PATH, "--config", path.join(dir, "no-config.json")],
  malformedConfig: [FIXTURE_PATH, "--config", file("malformed-config.json", "{all: mandatory}")],
  unknownPolicyInConfig: [
    FIXTURE_PATH,
    "--config",
    file("unknown-policy.json", { "gcp-no-such-policy": "mandatory" }),
  ],
  badLevelInConfig: [FIXTURE_PATH, "--config", file("bad-level.json", { all: "strict" })],
};

describe("check-policies", function () {
  this.timeout(180_000);
  let runs: Record<string, Run>;
  before(async () => {
    runs = await checkAll(Object.fromEntries(Object.entries(cases).map(([name, args]) => [name, [args]])));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const verdict = (run: Run) => JSON.parse(run.stdout) as { violations: Violation[] };

  it("prints no violation and exits 0 for the compliant stack, with or without a config", () => {
    for (const name of ["compliant", "compliantDev", "compliantProd"]) {
      assert.strictEqual(runs[name].stderr, "", name);
      assert.deepStrictEqual(verdict(runs[name]), { violations: [] }, name);
      assert.strictEqual(runs[name].code, 0, name);
    }
  });

  const insecureViolations = (level: "advisory" | "mandatory") => [
    {
      policy: "gcp-firewall-disallow-world-ingress-to-sensitive-ports",
      resource: "fw-web-ssh",
      type: "gcp:compute/firewall:Firewall",
      enforcementLevel: level,
      message:
        'Firewall rule "fw-web-ssh" lets anyone on the internet (0.0.0.0/0) reach tcp port 22 (SSH); ' +
        "allow only the source ranges that need it (for example 35.235.240.0/20 for SSH through IAP) or remove the rule.",
    },
    {
      policy: "gcp-firewall-disallow-public-ingress",
      resource: "fw-web-ssh",
      type: "gcp:compute/firewall:Firewall",
      enforcementLevel: level,
      message:
        'Firewall rule "fw-web-ssh" admits 0.0.0.0/0 from the internet to tcp:22, around the load balancer and its ' +
        "Cloud Armor policy; admit only Google's front ends (130.211.0.0/22, 35.191.0.0/16) and IAP (35.235.240.0/20), " +
        "or add a range you own to allowedPublicSources.",
    },
    {
      policy: "gcp-cloudsql-primary-requires-automatic-failover",
      resource: "db-primary",
      type: "gcp:sql/databaseInstance:DatabaseInstance",
      enforcementLevel: level,
      message:
        'Cloud SQL primary "db-primary" has availability type ZONAL: it is the only instance that accepts writes and has no standby to fail over to; ' +
        'set settings.availabilityType to "REGIONAL".',
    },
  ];

  it("reports advisory violations and exits 0 under dev's config", () => {
    assert.deepStrictEqual(verdict(runs.insecureDev), { violations: insecureViolations("advisory") });
    assert.strictEqual(runs.insecureDev.code, 0);
    assert.strictEqual(runs.insecureDev.stderr, "");
  });

  it("reports mandatory violations and exits 1 under prod's config", () => {
    assert.deepStrictEqual(verdict(runs.insecureProd), { violations: insecureViolations("mandatory") });
    assert.strictEqual(runs.insecureProd.code, 1);
    assert.strictEqual(runs.insecureProd.stderr, "");
  });

  it("without --config, holds every policy mandatory and exits 1", () => {
    assert.deepStrictEqual(verdict(runs.insecureWithoutConfig), {
      violations: insecureViolations("mandatory"),
    });
    assert.strictEqual(runs.insecureWithoutConfig.code, 1);
  });

  it("follows references given as self-links in props or as names in dependencies alike", () => {
    const expected = [
      {
        policy: "gcp-backend-pool-requires-two-zones",
        resource: "backend",
        type: "gcp:compute/backendService:BackendService",
        enforcementLevel: "mandatory",
        message:
          'Backend service "backend" has its servers only in "us-central1-a" (at least 2 zones required), ' +
          "so one zone going down takes the site down; spread its instance groups over more zones.",
      },
    ];
    const pick = (run: Run) =>
      verdict(run).violations.filter((v) => v.policy === "gcp-backend-pool-requires-two-zones");
    assert.deepStrictEqual(pick(runs.bySelfLinks), expected);
    assert.deepStrictEqual(pick(runs.byDependencies), expected);
  });

  const badInput: Record<string, RegExp> = {
    noArguments:
      /^check-policies: no input given; usage: npm run -s check-policies -- <input\.json \| -> \[--config <file>\] \[--format text\|json\|sarif\]$/,
    unknownOption: /^check-policies: unknown option "--verbose"; usage: /,
    configWithoutFile: /^check-policies: --config needs a value; usage: /,
    missingFile: /^check-policies: cannot read resources file ".*nope\.json": no such file$/,
    unreadableFile: /^check-policies: cannot read resources file ".*check-policies-\w+": it is a directory$/,
    malformedJson: /^check-policies: resources file ".*malformed\.json" is not valid JSON: /,
    noResourcesList:
      /^check-policies: resources file ".*no-list\.json" is none of the inputs check-policies reads: \{"resources": \[\.\.\.\]\} \(this tool's own, or `npm start -- --json`\), `pulumi stack export` or `pulumi preview --json`$/,
    resourcesNotAList: /^check-policies: resources file ".*not-a-list\.json" has no "resources" list$/,
    entryWithoutType:
      /^check-policies: resources file ".*no-type\.json": resources\[0\] has no "type" \(a Pulumi type token such as gcp:compute\/firewall:Firewall\)$/,
    entryWithoutName: /^check-policies: resources file ".*no-name\.json": resources\[0\] has no "name"$/,
    propsNotAnObject:
      /^check-policies: resources file ".*props-list\.json": resources\[0\] \("a"\) has "props" that are not an object$/,
    propsOfTheWrongShape:
      /^check-policies: policy "gcp-[a-z0-9-]+" failed on resource "fw" \(a gcp:compute\/firewall:Firewall\): .+; are its props shaped as @pulumi\/gcp types them\?$/,
    duplicateNames:
      /^check-policies: resources file ".*duplicates\.json": duplicate resource name "a" \(resources\[0\] and resources\[1\]\)$/,
    unknownDependency:
      /^check-policies: resources file ".*unknown-dependency\.json": resource "a" refers to "b", which is not in the file$/,
    missingConfig: /^check-policies: cannot read policy config file ".*no-config\.json": no such file$/,
    malformedConfig: /^check-policies: policy config file ".*malformed-config\.json" is not valid JSON: /,
    unknownPolicyInConfig:
      /^check-policies: policy config file ".*unknown-policy\.json": "gcp-no-such-policy" is not a policy of this pack/,
    badLevelInConfig:
      /^check-policies: policy config file ".*bad-level\.json": "all" has enforcement level "strict"; use advisory, mandatory, remediate or disabled$/,
  };
  for (const [name, line] of Object.entries(badInput)) {
    it(`exits 2 with one line on stderr and nothing on stdout: ${name}`, () => {
      const run = runs[name];
      assert.strictEqual(run.stdout, "");
      assert.strictEqual(run.code, 2);
      assert.ok(run.stderr.endsWith("\n") && run.stderr.split("\n").length === 2, JSON.stringify(run.stderr));
      assert.match(run.stderr.trimEnd(), line);
    });
  }
});

// Keep the fixture's type honest for the helpers above.
export type { TestResource };
