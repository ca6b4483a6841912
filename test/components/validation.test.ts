import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { registrationsInLatestRun, simulate } from "../../tools/offline/mockRun";
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
  region: "us-central1",
  subnetwork: "projects/p/regions/us-central1/subnetworks/s",
  domain: "www.foobar.com",
  project: "foobar-web-test",
};

const dbArgs: MySqlClusterArgs = {
  region: "us-central1",
  zones: ["us-central1-a", "us-central1-b"],
  tier: "db-custom-1-3840",
  databaseVersion: "MYSQL_8_4",
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
      { zones: ["us-central1-a", "europe-west1-b"] },
      'WebTier "site-web": zone europe-west1-b is not in region us-central1; a regional group only spreads over its region\'s zones.',
    ],
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

  it("a WebTier on its own: a regional managed group from one template, after its boot dependencies", async () => {
    const run = await simulate(
      () => {
        const nat = new gcp.compute.RouterNat("nat", {
          router: "r",
          region: "us-central1",
          natIpAllocateOption: "AUTO_ONLY",
          sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
        });
        const tier = new WebTier("site-web", {
          ...webArgs,
          instanceCount: 5,
          tag: "frontend",
          httpsPort: 8443,
          bootDependencies: [nat],
        });
        return { group: tier.group, instanceGroup: tier.instanceGroup, serving: tier.serving };
      },
      { stack: "test", config },
    );
    const byType = (type: string) => run.resources.filter((r) => r.type === type);
    assert.deepEqual(byType("gcp:compute/instance:Instance"), []);
    const [template] = byType("gcp:compute/instanceTemplate:InstanceTemplate");
    const [manager] = byType("gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager");
    const [autoheal] = byType("gcp:compute/healthCheck:HealthCheck");
    assert.deepEqual(
      [template, manager, autoheal].map((r) => [r.name, r.parent]),
      [
        ["site-web-template", "site-web"],
        ["site-web-group", "site-web"],
        ["site-web-autoheal", "site-web"],
      ],
    );
    assert.deepEqual(template.dependencies.sort(), [
      "nat",
      "site-web-logWriter",
      "site-web-metricWriter",
      "site-web-sa",
    ]);
    assert.deepEqual(template.props.tags, ["frontend"]);
    assert.deepEqual(template.props.labels, { tier: "frontend" });
    assert.deepEqual(manager.props.versions, [
      { name: "primary", instanceTemplate: template.props.selfLinkUnique },
    ]);
    assert.match(
      String(template.props.selfLinkUnique),
      /^projects\/foobar-web-test\/global\/instanceTemplates\/site-web-template-[0-9a-f]{7}\?uniqueId=\d{19}$/,
    );
    assert.equal(manager.props.targetSize, 5);
    assert.deepEqual(manager.props.distributionPolicyZones, ["us-central1-a", "us-central1-b"]);
    assert.equal(manager.props.distributionPolicyTargetShape, "EVEN");
    assert.deepEqual(manager.props.namedPorts, [{ name: "https", port: 8443 }]);
    assert.deepEqual(manager.props.autoHealingPolicies, {
      healthCheck: autoheal.props.id,
      initialDelaySec: 600,
    });
    assert.deepEqual(autoheal.props.httpsHealthCheck, {
      port: 8443,
      requestPath: "/healthz",
      proxyHeader: "NONE",
    });
    assert.deepEqual(manager.props.updatePolicy, {
      type: "PROACTIVE",
      minimalAction: "REPLACE",
      replacementMethod: "SUBSTITUTE",
      maxSurgeFixed: 2,
      maxUnavailableFixed: 0,
      instanceRedistributionType: "PROACTIVE",
    });
    assert.deepEqual(run.outputs.group, {
      name: manager.props.name,
      region: "us-central1",
      targetSize: 5,
      zones: ["us-central1-a", "us-central1-b"],
      vmsPerZone: { "us-central1-a": 2, "us-central1-b": 2 },
      extraVms: 1,
    });
    assert.equal(
      run.outputs.instanceGroup,
      `https://www.googleapis.com/compute/v1/projects/foobar-web-test/regions/us-central1/instanceGroups/${manager.props.name}`,
    );
    assert.deepEqual(run.outputs.serving, {
      networkTag: "frontend",
      tierLabel: "frontend",
      httpsPort: 8443,
      namedPort: "https",
      healthPath: "/healthz",
    });
  });
});
