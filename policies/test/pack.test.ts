import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { concernOf, concerns, policiesAnswering } from "../concerns";
import { CONCERNS_DOC_PATH, renderConcernsDoc } from "../../tools/policy-eval/cli/concerns-doc";
import { loadPolicyConfigFile, resolvePolicyConfig } from "../../tools/policy-eval/config";
import { evaluatePolicies } from "../../tools/policy-eval/evaluate";
import { WAIVED_FINDINGS_POLICY } from "../lib/exemptions";
import { PACK_ID, packPolicies as everyPolicy } from "../pack";
import { compliantStack, CONFIG_DIR } from "./util";

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
      const concern = concernOf(policy);
      assert.ok(concern, policy.name);
      assert.ok(policy.description.startsWith(`${concern.title}: `), policy.name);
      assert.match(policy.description, /\.$/, policy.name);
    }
  });

  it("gives every policy a severity, remediation steps and a documentation link", () => {
    for (const policy of everyPolicy) {
      assert.ok(["low", "medium", "high", "critical"].includes(policy.severity ?? ""), policy.name);
      assert.match(policy.remediationSteps ?? "", /^[A-Z].{20,}\.$/, policy.name);
      assert.match(
        policy.url ?? "",
        /^https:\/\/(cloud\.google\.com|www\.pulumi\.com)\/[a-z0-9/#.-]+$/,
        policy.name,
      );
    }
  });

  it("tags every design policy with exactly one concern of the design, and the waiver report with none", () => {
    const ids = concerns.map((c) => c.id as string);
    for (const policy of everyPolicy) {
      const tags = (policy.tags ?? []).filter((t) => t.startsWith("concern:"));
      if (policy.name === WAIVED_FINDINGS_POLICY) {
        assert.deepStrictEqual(tags, []);
      } else {
        assert.strictEqual(tags.length, 1, policy.name);
        assert.ok(ids.includes(tags[0].slice("concern:".length)), `${policy.name}: ${tags[0]}`);
      }
    }
  });

  it("is named in messages with the version @pulumi/policy reads from its package.json", () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8"));
    assert.strictEqual(PACK_ID, `foobar-web@v${version}`);
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
      }
    }
    // The evaluator checks given settings with ajv in strict mode, which refuses a keyword it does not know;
    // every default, given back as a setting, must pass, since a policy without settings runs on them.
    for (const policy of everyPolicy) {
      const defaults = resolvePolicyConfig([policy], {}).settings.get(policy.name) ?? {};
      assert.doesNotThrow(() => resolvePolicyConfig([policy], { [policy.name]: defaults }), policy.name);
    }
  });
});

describe("the concerns, read from the policies' tags, and docs/concerns.md", () => {
  it("gives every concern at least one policy of the pack", () => {
    for (const concern of concerns) {
      assert.notDeepStrictEqual(policiesAnswering(concern, packPolicies), [], concern.id);
    }
  });

  it("keeps each concern's policies in the folder named after it", () => {
    const root = path.join(__dirname, "..");
    for (const concern of concerns) {
      const files = fs.readdirSync(path.join(root, concern.id));
      for (const name of policiesAnswering(concern, packPolicies)) {
        assert.ok(files.includes(`${name.replace(/^gcp-/, "")}.ts`), `${concern.id}/${name}`);
      }
    }
  });

  it("keeps docs/concerns.md as npm run docs writes it from the pack and the committed configs", async () => {
    const committed = fs.readFileSync(CONCERNS_DOC_PATH, "utf8");
    assert.ok(committed === (await renderConcernsDoc()), "docs/concerns.md is out of date: run npm run docs");
  });

  it("shows each policy's requirement, severity, remediation and link on the page", async () => {
    const doc = await renderConcernsDoc();
    const https = doc.split(/^## /m).find((s) => s.startsWith("HTTPS only, one trusted certificate\n")) ?? "";
    assert.match(
      https,
      /^\| `gcp-ssl-policy-requires-tls-1-2-modern` +\| resource \| medium +\| SSL policies require TLS 1\.2 .*\| `requireRestrictedProfile` \(false; true in prod\) *\|$/m,
    );
    assert.ok(
      https.includes(
        "- `gcp-https-proxy-requires-ssl-policy`: Create an SSLPolicy with minTlsVersion TLS_1_2 and profile RESTRICTED " +
          "(or MODERN) and set it as the proxy's sslPolicy. " +
          "([documentation](https://cloud.google.com/load-balancing/docs/ssl-policies-concepts))",
      ),
    );
    assert.match(
      doc,
      /^\| dev +\| `policies\/config\/dev\.json` +\| every policy `advisory` except `gcp-cloudsql-requires-deletion-protection` disabled +\|/m,
    );
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
