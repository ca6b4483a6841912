import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { concernOf, concerns } from "../concerns";
import { loadPolicyConfigFile, resolvePolicyConfig } from "../engine/config";
import { evaluatePolicies } from "../engine/evaluate";
import { unsupportedKeywords } from "../engine/schema";
import { SEVERITY } from "../severity";
import { WAIVED_FINDINGS_POLICY } from "../lib/exemptions";
import { packPolicies as everyPolicy } from "../pack";
import { compliantStack, CONFIG_DIR } from "./util";

const DOC_PATH = path.join(__dirname, "..", "..", "docs", "concerns.md");

/** The design's policies: all but the report of waived findings, which answers no concern of its own. */
const packPolicies = everyPolicy.filter((p) => p.name !== WAIVED_FINDINGS_POLICY);

describe("the pack", () => {
  it("names every policy once, in kebab-case saying what is required", () => {
    const names = packPolicies.map((p) => p.name);
    assert.strictEqual(new Set(names).size, names.length);
    for (const name of names) {
      assert.match(name, /^gcp(-[a-z0-9]+)+$/, name);
      assert.match(
        name,
        /-(requires?|disallow|redirects|covered|served)-|^gcp-(disallow|site|vm|backend)-/,
        name,
      );
    }
  });

  it("describes every policy in whole sentences that open with the concern they answer", () => {
    for (const policy of packPolicies) {
      const concern = concernOf(policy.name);
      assert.ok(concern, policy.name);
      assert.ok(policy.description.startsWith(`${concern.title}: `), policy.name);
      assert.match(policy.description, /\.$/, policy.name);
    }
  });

  it("gives every policy a severity, and the concern it answers as a tag", () => {
    for (const policy of everyPolicy) {
      assert.ok(["low", "medium", "high", "critical"].includes(policy.severity ?? ""), policy.name);
    }
    for (const policy of packPolicies) {
      assert.deepStrictEqual(policy.tags, [`concern:${concernOf(policy.name)?.id}`], policy.name);
    }
    assert.deepStrictEqual(Object.keys(SEVERITY).sort(), everyPolicy.map((p) => p.name).sort());
  });

  it("leaves enforcement levels to the policy config", () => {
    for (const policy of packPolicies) assert.strictEqual(policy.enforcementLevel, undefined, policy.name);
  });

  it("gives every setting a default and a description, in schema keywords the evaluator checks", () => {
    for (const policy of packPolicies) {
      for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
        assert.notStrictEqual(key, "enforcementLevel");
        assert.ok(typeof schema === "object" && schema.default !== undefined, `${policy.name}.${key}`);
        assert.ok(typeof schema === "object" && schema.description, `${policy.name}.${key}`);
        assert.deepStrictEqual(unsupportedKeywords(schema), [], `${policy.name}.${key}`);
      }
    }
  });
});

describe("the concern registry and docs/concerns.md", () => {
  const doc = fs.readFileSync(DOC_PATH, "utf8");

  it("gives every concern at least one policy of the pack", () => {
    const names = new Set(packPolicies.map((p) => p.name));
    for (const concern of concerns) {
      assert.ok(concern.policies.length > 0, concern.id);
      for (const name of concern.policies) assert.ok(names.has(name), `${concern.id}: ${name}`);
    }
  });

  it("puts every policy of the pack in exactly one concern", () => {
    for (const policy of packPolicies) {
      const owners = concerns.filter((c) => c.policies.includes(policy.name)).map((c) => c.id);
      assert.strictEqual(owners.length, 1, `${policy.name}: ${owners.join(", ")}`);
    }
  });

  it("keeps each concern's policies in the folder named after it", () => {
    const root = path.join(__dirname, "..");
    for (const concern of concerns) {
      const files = fs.readdirSync(path.join(root, concern.id));
      for (const name of concern.policies) {
        assert.ok(files.includes(`${name.replace(/^gcp-/, "")}.ts`), `${concern.id}/${name}`);
      }
    }
  });

  it("lists, under each concern's heading, exactly that concern's policies, with what the program does", () => {
    const sections = doc.split(/^## /m).slice(1);
    for (const concern of concerns) {
      const section = sections.find((s) => s.startsWith(`${concern.title}\n`));
      assert.ok(section, `no section "## ${concern.title}"`);
      const listed = [...section.matchAll(/^\| `(gcp-[a-z0-9-]+)`\s*\|/gm)].map((m) => m[1]);
      assert.deepStrictEqual(listed, [...concern.policies], concern.id);
      assert.ok(
        section.replace(/\s+/g, " ").includes(concern.programDoes),
        `${concern.id}: what the program does`,
      );
    }
  });
});

describe("the committed policy configs", () => {
  for (const stack of ["dev", "prod"]) {
    it(`${stack}.json fits the pack`, () => {
      const config = loadPolicyConfigFile(path.join(CONFIG_DIR, `${stack}.json`));
      const resolved = resolvePolicyConfig(everyPolicy, config);
      // Dev relaxes everything to advisory, and turns off only what its stack leaves off on purpose.
      const relaxed = new Map(
        [...resolved.levels].filter(
          ([name, level]) =>
            level !== (stack === "dev" || name === "gcp-waived-findings" ? "advisory" : "mandatory"),
        ),
      );
      if (stack === "dev") {
        assert.deepStrictEqual([...relaxed], [["gcp-cloudsql-requires-deletion-protection", "disabled"]]);
      } else {
        // Prod holds every design policy mandatory; the record of waivers stays advisory.
        assert.deepStrictEqual([...relaxed], []);
        assert.strictEqual(resolved.levels.get("gcp-waived-findings"), "advisory");
        assert.strictEqual(resolved.levels.size, everyPolicy.length);
      }
      assert.strictEqual(
        resolved.settings.get("gcp-https-proxy-requires-managed-certificate")?.requireManagedCertificate,
        stack === "prod",
      );
    });

    it(`the compliant full stack has no violation under ${stack}.json`, () => {
      const config = loadPolicyConfigFile(path.join(CONFIG_DIR, `${stack}.json`));
      assert.deepStrictEqual(evaluatePolicies(everyPolicy, compliantStack(), config, { stack }), []);
    });
  }

  it("prod's config makes the violations of a self-signed certificate and a single zone mandatory", () => {
    const stack = compliantStack();
    const cert = stack.find((r) => r.name === "lb-cert");
    if (!cert) throw new Error("no lb-cert");
    cert.type = "gcp:compute/sSLCertificate:SSLCertificate";
    cert.props = { name: "foobar-web-cert", certificate: "PEM", selfLink: cert.props.selfLink };
    const config = loadPolicyConfigFile(path.join(CONFIG_DIR, "prod.json"));
    const violations = evaluatePolicies(everyPolicy, stack, config, { stack: "prod" });
    assert.deepStrictEqual(
      violations.map((v) => [v.policy, v.enforcementLevel]),
      [["gcp-https-proxy-requires-managed-certificate", "mandatory"]],
    );
    const dev = loadPolicyConfigFile(path.join(CONFIG_DIR, "dev.json"));
    assert.deepStrictEqual(evaluatePolicies(everyPolicy, stack, dev), []);
  });
});
