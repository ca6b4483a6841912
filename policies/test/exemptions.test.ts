import * as assert from "assert";
import { evaluatePolicies } from "../../tools/policy-eval/evaluate";
import { PolicyConfigError, resolvePolicyConfig } from "../../tools/policy-eval/config";
import { packPolicies, PACK_ENFORCEMENT_LEVEL } from "../pack";
import { remove, stackWith } from "./util";
import { waivedFindings } from "../lib/exemptions";

const PUBLIC_INGRESS = "gcp-firewall-disallow-public-ingress";
const SSH = "gcp-firewall-disallow-world-ingress-to-sensitive-ports";
/** SSH from the world: two findings on fw-web-ssh, from two policies. */
const open = () => stackWith((r) => (r("fw-web-ssh").props.sourceRanges = ["0.0.0.0/0"]));
const check = (config: Record<string, unknown>) =>
  evaluatePolicies(
    packPolicies,
    open(),
    { all: "mandatory", "gcp-waived-findings": "advisory", ...config },
    {
      packEnforcementLevel: PACK_ENFORCEMENT_LEVEL,
    },
  );
const summary = (config: Record<string, unknown>) =>
  check(config).map((v) => [v.policy, v.resource, v.enforcementLevel]);
const REASON = "Bastion in a partner's office, contract 42";

describe("waivers (exemptions in a policy config)", () => {
  it("without one, both policies report the open rule", () => {
    assert.deepStrictEqual(summary({}), [
      [SSH, "fw-web-ssh", "mandatory"],
      [PUBLIC_INGRESS, "fw-web-ssh", "mandatory"],
    ]);
  });

  it("a waiver takes the finding from its policy and reports it, advisory, with the reason and expiry", () => {
    const violations = check({
      [PUBLIC_INGRESS]: { exemptions: [{ resource: "fw-web-ssh", reason: REASON, expires: "2999-12-31" }] },
    });
    assert.deepStrictEqual(
      violations.map((v) => [v.policy, v.resource, v.enforcementLevel]),
      [
        [SSH, "fw-web-ssh", "mandatory"],
        ["gcp-waived-findings", "fw-web-ssh", "advisory"],
      ],
    );
    assert.match(
      violations[1].message,
      new RegExp(
        `^Waived until 2999-12-31: ${PUBLIC_INGRESS} on "fw-web-ssh", because "${REASON}"\\. The finding: Firewall rule "fw-web-ssh" admits 0\\.0\\.0\\.0/0`,
      ),
    );
  });

  it("an expired waiver is a violation again, and says it expired", () => {
    const violations = check({
      [SSH]: { exemptions: [{ resource: "fw-web-ssh", reason: REASON, expires: "2001-01-31" }] },
    });
    assert.deepStrictEqual(
      violations.map((v) => [v.policy, v.enforcementLevel]),
      [
        [SSH, "mandatory"],
        [PUBLIC_INGRESS, "mandatory"],
      ],
    );
    assert.match(
      violations[0].message,
      / \(Its waiver expired on 2001-01-31; the reason given was "Bastion in a partner's office, contract 42"\.\)$/,
    );
  });

  it("covers only the named resource and policy", () => {
    assert.deepStrictEqual(
      summary({ [SSH]: { exemptions: [{ resource: "fw-web-https", reason: REASON }] } }),
      summary({}),
    );
  });

  it("waives a stack policy's finding on a resource too, with no end date", () => {
    const oneZone = stackWith((r, all) => {
      remove(all, "web-1", "web-2", "web-ig-us-central1-b", "web-ig-us-central1-c");
      r("lb-backend").props.backends = r("lb-backend").props.backends.slice(0, 1);
    });
    const config = {
      all: "mandatory",
      "gcp-waived-findings": "advisory",
      "gcp-backend-pool-requires-two-zones": {
        exemptions: [{ resource: "lb-backend", reason: "A staging copy, one zone" }],
      },
    };
    const found = evaluatePolicies(packPolicies, oneZone, config).filter(
      (v) => v.policy === "gcp-backend-pool-requires-two-zones" || v.policy === "gcp-waived-findings",
    );
    assert.deepStrictEqual(
      found.map((v) => [v.policy, v.resource, v.enforcementLevel]),
      [["gcp-waived-findings", "lb-backend", "advisory"]],
    );
    assert.match(
      found[0].message,
      /^Waived with no end date: gcp-backend-pool-requires-two-zones on "lb-backend"/,
    );
  });

  it("refuses a waiver without a reason, with a short one, or with a malformed date, naming the setting", () => {
    const resolve = (exemption: Record<string, unknown>) => () =>
      resolvePolicyConfig(packPolicies, { [SSH]: { exemptions: [exemption] } }, PACK_ENFORCEMENT_LEVEL);
    const refused = (exemption: Record<string, unknown>, message: string) =>
      assert.throws(resolve(exemption), new PolicyConfigError(`policy "${SSH}": setting ${message}`));
    refused({ resource: "fw-web-ssh" }, "exemptions[0].reason is required");
    refused(
      { resource: "fw-web-ssh", reason: "ok" },
      "exemptions[0].reason must be at least 10 characters long",
    );
    refused(
      { resource: "fw-web-ssh", reason: REASON, expires: "31/12/2027" },
      'exemptions[0].expires must match ^\\d{4}-\\d{2}-\\d{2}$, got "31/12/2027"',
    );
    refused(
      { resource: "fw-web-ssh", reason: REASON, until: "2027-12-31" },
      "exemptions[0].until is not allowed",
    );
  });

  it("is reported last, and advisory even without a config", () => {
    const last = packPolicies[packPolicies.length - 1];
    assert.strictEqual(last.name, waivedFindings.name);
    assert.strictEqual(last.enforcementLevel, "advisory");
    const levels = resolvePolicyConfig(packPolicies, {}, PACK_ENFORCEMENT_LEVEL).levels;
    assert.strictEqual(levels.get("gcp-waived-findings"), "advisory");
    assert.strictEqual(levels.get(SSH), "mandatory");
  });
});
