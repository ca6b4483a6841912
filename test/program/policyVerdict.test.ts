import { strict as assert } from "assert";
import * as path from "path";
import { runOffline } from "../../tools/offline/mockRun";
import { packPolicies } from "../../policies/pack";
import { evaluatePolicies, Violation } from "../../tools/policy-eval/evaluate";
import { loadPolicyConfigFile } from "../../tools/policy-eval/config";

const root = path.resolve(__dirname, "../..");

/** The pack's verdict on the program for a stack, with that stack's committed policy config. */
async function verdict(stack: string, overrides: Record<string, string> = {}): Promise<Violation[]> {
  const run = await runOffline({ stack, overrides });
  return evaluatePolicies(
    packPolicies,
    run.resources.map((r) => ({ ...r, parent: r.parent ?? undefined })),
    loadPolicyConfigFile(path.join(root, "policies", "config", `${stack}.json`)),
    { stack },
  );
}

const summary = (violations: Violation[]) =>
  violations
    .map((v) => [v.policy, v.resource, v.enforcementLevel])
    .sort((a, b) => String(a).localeCompare(String(b)));

describe("the policy pack on the program", function () {
  this.timeout(60_000);

  for (const stack of ["dev", "prod"]) {
    it(`${stack}: no violation under its own policy config`, async () => {
      assert.deepEqual(await verdict(stack), []);
    });
  }

  it("prod without failover or replicas: the single-writer violations, mandatory", async () => {
    const violations = await verdict("prod", { dbHighAvailability: "false", dbReplicaCount: "0" });
    assert.deepEqual(summary(violations), [
      ["gcp-cloudsql-primary-requires-automatic-failover", "foobar-db-primary", "mandatory"],
      ["gcp-cloudsql-primary-requires-read-replica", "foobar-db-primary", "mandatory"],
    ]);
    assert.equal(
      violations[0].message,
      'Cloud SQL primary "foobar-db-primary" has availability type ZONAL: it is the only instance that accepts writes and has no standby to fail over to; set settings.availabilityType to "REGIONAL".',
    );
  });

  it("prod with one web VM: the backend pool is a single point of failure, mandatory", async () => {
    const violations = await verdict("prod", { webInstanceCount: "1" });
    assert.deepEqual(summary(violations), [
      ["gcp-backend-pool-requires-two-zones", "foobar-lb-backend", "mandatory"],
      ["gcp-backend-pool-requires-two-zones", "foobar-lb-backend", "mandatory"],
    ]);
    assert.deepEqual(
      violations.map((v) => v.message),
      [
        'Backend service "foobar-lb-backend" has 1 server behind it (at least 2 required), so one server failing takes the site down; add instances to its instance groups.',
        'Backend service "foobar-lb-backend" has its servers only in "us-central1-a" (at least 2 zones required), so one zone going down takes the site down; spread its instance groups over more zones.',
      ],
    );
  });

  it("prod in a single zone: the zonal single point of failure, mandatory", async () => {
    const violations = await verdict("prod", { zones: '["us-central1-b"]' });
    assert.deepEqual(summary(violations), [
      ["gcp-backend-pool-requires-two-zones", "foobar-lb-backend", "mandatory"],
    ]);
    assert.match(violations[0].message, /only in "us-central1-b" \(at least 2 zones required\)/);
  });

  it("prod with a self-signed certificate: the untrusted certificate, mandatory", async () => {
    const violations = await verdict("prod", { certificate: "self-signed" });
    assert.deepEqual(summary(violations), [
      ["gcp-https-proxy-requires-managed-certificate", "foobar-lb-https-proxy", "mandatory"],
    ]);
  });

  it("dev with the same overrides: the same violations, advisory", async () => {
    const violations = await verdict("dev", {
      dbHighAvailability: "false",
      dbReplicaCount: "0",
      webInstanceCount: "1",
    });
    assert.deepEqual(summary(violations), [
      ["gcp-backend-pool-requires-two-zones", "foobar-lb-backend", "advisory"],
      ["gcp-backend-pool-requires-two-zones", "foobar-lb-backend", "advisory"],
      ["gcp-cloudsql-primary-requires-automatic-failover", "foobar-db-primary", "advisory"],
      ["gcp-cloudsql-primary-requires-read-replica", "foobar-db-primary", "advisory"],
    ]);
  });
});
