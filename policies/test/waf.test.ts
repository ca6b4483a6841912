import * as assert from "assert";
import { backendServiceRequiresWafPolicy as waf } from "../firewall/backend-service-requires-waf-policy";
import { T } from "../lib/types";
import { UNKNOWN } from "../lib/unknowns";
import { remove, run, stackWith, violation } from "./util";

const armor = { name: "lb-armor", type: T.securityPolicy };
const enforced = { [waf.name]: { requireEnforced: true } };

describe("firewall: gcp-backend-service-requires-waf-policy", () => {
  it("passes the compliant stack, previewed or not", () => {
    assert.deepStrictEqual(
      run(
        waf,
        stackWith(() => {}),
        enforced,
      ),
      [],
    );
  });

  it("reports an internet-facing backend service without a Cloud Armor policy", () => {
    const stack = stackWith((r, all) => {
      delete r("lb-backend").props.securityPolicy;
      remove(all, "lb-armor");
    });
    assert.deepStrictEqual(run(waf, stack), [
      violation(
        waf,
        { name: "lb-backend", type: T.backendService },
        'Backend service "lb-backend" faces the internet without a Cloud Armor policy that the pack can check; ' +
          "attach a gcp.compute.SecurityPolicy whose rules deny Google's preconfigured WAF rules.",
      ),
    ]);
  });

  it("reports a policy missing rule families, or only allowing on them", () => {
    const stack = stackWith((r) => {
      const rules = r("lb-armor").props.rules as {
        action: string;
        match: { expr?: { expression: string } };
      }[];
      r("lb-armor").props.rules = rules.filter((rule) => !rule.match.expr?.expression.includes("'xss-"));
      const sqli = r("lb-armor").props.rules.find((rule: { match: { expr?: { expression: string } } }) =>
        rule.match.expr?.expression.includes("'sqli-"),
      );
      sqli.action = "allow";
    });
    assert.deepStrictEqual(run(waf, stack), [
      violation(
        waf,
        armor,
        'Cloud Armor policy "lb-armor" of backend service "lb-backend" denies no preconfigured WAF rule for "sqli" and "xss"; ' +
          "add deny(403) rules with evaluatePreconfiguredWaf('<family>-v33-stable', {'sensitivity': 1}).",
      ),
    ]);
  });

  it("reports previewed rules only where enforcement is required", () => {
    const stack = stackWith((r) => {
      for (const rule of r("lb-armor").props.rules as { preview?: boolean }[]) rule.preview = true;
    });
    assert.deepStrictEqual(run(waf, stack), []);
    assert.deepStrictEqual(run(waf, stack, enforced), [
      violation(
        waf,
        armor,
        'Cloud Armor policy "lb-armor" of backend service "lb-backend" only previews its WAF rules for "sqli", "xss", ' +
          '"lfi", "rfi", "rce", "scannerdetection", "protocolattack" and "cve", so attacks reach the servers; set preview to false on those rules.',
      ),
    ]);
  });

  it("does not count deny rules behind an allow-everything rule of higher priority", () => {
    const stack = stackWith((r) => {
      r("lb-armor").props.rules.push({
        priority: 10,
        action: "allow",
        match: { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["*"] } },
      });
    });
    assert.strictEqual(run(waf, stack).length, 1);
  });

  it("reads rule names in double quotes too", () => {
    const stack = stackWith((r) => {
      for (const rule of r("lb-armor").props.rules as { match: { expr?: { expression: string } } }[]) {
        if (rule.match.expr) rule.match.expr.expression = rule.match.expr.expression.replace(/'/g, '"');
      }
    });
    assert.deepStrictEqual(run(waf, stack, enforced), []);
  });

  it("takes the required families from the config", () => {
    const stack = stackWith((r) => {
      r("lb-armor").props.rules = (
        r("lb-armor").props.rules as { match: { expr?: { expression: string } } }[]
      ).filter((rule) => !rule.match.expr?.expression.includes("'cve-"));
    });
    assert.strictEqual(run(waf, stack).length, 1);
    assert.deepStrictEqual(run(waf, stack, { [waf.name]: { requiredRules: ["sqli", "xss"] } }), []);
  });

  it("leaves internal load balancers alone and reports nothing it cannot know during preview", () => {
    const internal = stackWith((r, all) => {
      delete r("lb-backend").props.securityPolicy;
      remove(all, "lb-armor");
      r("lb-backend").props.loadBalancingScheme = "INTERNAL_MANAGED";
    });
    assert.deepStrictEqual(run(waf, internal), []);
    const unknown = stackWith((r) => (r("lb-armor").props.rules = UNKNOWN));
    assert.deepStrictEqual(run(waf, unknown, enforced), []);
  });
});
