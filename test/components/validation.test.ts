import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { registrationsInLatestRun, simulate } from "../../offline/mockRun";
import { validateWebTierArgs, WebTier, WebTierArgs } from "../../components/web/webTier";
import {
  MySqlCluster,
  MySqlClusterArgs,
  validateMySqlClusterArgs,
} from "../../components/database/mysqlCluster";

const webArgs: WebTierArgs = {
  instanceCount: 3,
  zones: ["us-central1-a", "us-central1-b"],
  machineType: "e2-small",
  subnetwork: "projects/p/regions/us-central1/subnetworks/s",
  network: "projects/p/global/networks/n",
  domain: "www.foobar.com",
  project: "foobar-web-test",
};

const dbArgs: MySqlClusterArgs = {
  region: "us-central1",
  zones: ["us-central1-a", "us-central1-b"],
  tier: "db-custom-1-3840",
  highAvailability: true,
  replicaCount: 1,
  deletionProtection: false,
  privateNetwork: "projects/p/global/networks/n",
  privateServicesConnection: undefined as unknown as pulumi.Resource,
  clientCidr: "10.10.0.0/24",
};

const config = { "gcp:project": "foobar-web-test", "gcp:region": "us-central1" };

function rejects(validate: () => void, message: string): void {
  assert.throws(validate, (err: unknown) => {
    assert.ok(pulumi.ResourceError.isInstance(err), `a ResourceError, got ${String(err)}`);
    assert.equal((err as Error).message, message);
    return true;
  });
}

describe("component argument validation", () => {
  it("WebTier: accepts good arguments", () => {
    validateWebTierArgs("site-web", webArgs);
  });

  const webCases: [Partial<WebTierArgs>, string][] = [
    [{ instanceCount: 0 }, 'WebTier "site-web": instanceCount is 0; it must be a whole number of 1 or more.'],
    [
      { instanceCount: 1.5 },
      'WebTier "site-web": instanceCount is 1.5; it must be a whole number of 1 or more.',
    ],
    [{ zones: [] }, 'WebTier "site-web": zones is empty; it must list at least one zone.'],
    [
      { machineType: " " },
      'WebTier "site-web": machineType is empty; it must name a machine type such as e2-medium.',
    ],
  ];
  for (const [change, message] of webCases) {
    it(`WebTier: ${JSON.stringify(change)}`, () =>
      rejects(() => validateWebTierArgs("site-web", { ...webArgs, ...change }), message));
  }

  const dbCases: [Partial<MySqlClusterArgs>, string][] = [
    [
      { replicaCount: -1 },
      'MySqlCluster "site-db": replicaCount is -1; it must be a whole number of 0 or more.',
    ],
    [{ zones: [] }, 'MySqlCluster "site-db": zones is empty; it must list at least one zone.'],
  ];
  for (const [change, message] of dbCases) {
    it(`MySqlCluster: ${JSON.stringify(change)}`, () =>
      rejects(() => validateMySqlClusterArgs("site-db", { ...dbArgs, ...change }), message));
  }

  it("MySqlCluster: a client subnet MySQL host patterns cannot express", () => {
    assert.throws(
      () => validateMySqlClusterArgs("site-db", { ...dbArgs, clientCidr: "10.10.0.0/20" }),
      /^Error: Cannot turn "10\.10\.0\.0\/20" into a MySQL host pattern; use a \/8, \/16 or \/24 IPv4 range\.$/,
    );
  });

  it("bad arguments register nothing, not even the component", async () => {
    await assert.rejects(
      simulate(
        () => {
          new WebTier("site-web", { ...webArgs, instanceCount: 0 });
          return {};
        },
        { stack: "test", config },
      ),
      /^Error: WebTier "site-web": instanceCount is 0; it must be a whole number of 1 or more\.$/,
    );
    assert.equal(await registrationsInLatestRun(), 0);
    await assert.rejects(
      simulate(
        () => {
          new MySqlCluster("site-db", { ...dbArgs, zones: [] });
          return {};
        },
        { stack: "test", config },
      ),
      /zones is empty/,
    );
    assert.equal(await registrationsInLatestRun(), 0);
  });

  it("a WebTier on its own: two zones, five VMs, groups per zone, all children of the component", async () => {
    const run = await simulate(
      () => {
        const tier = new WebTier("site-web", { ...webArgs, instanceCount: 5 });
        return { instances: tier.instances, groups: tier.instanceGroups };
      },
      { stack: "test", config },
    );
    const vms = run.resources.filter((r) => r.type === "gcp:compute/instance:Instance");
    assert.deepEqual(
      vms.map((vm) => [vm.name, vm.parent, vm.props.zone]),
      [
        ["site-web-1", "site-web", "us-central1-a"],
        ["site-web-2", "site-web", "us-central1-b"],
        ["site-web-3", "site-web", "us-central1-a"],
        ["site-web-4", "site-web", "us-central1-b"],
        ["site-web-5", "site-web", "us-central1-a"],
      ],
    );
    assert.equal((run.outputs.groups as string[]).length, 2);
    assert.deepEqual(
      (run.outputs.instances as { zone: string }[]).map((i) => i.zone),
      vms.map((vm) => vm.props.zone),
    );
  });
});
