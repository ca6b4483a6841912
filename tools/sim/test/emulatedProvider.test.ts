import * as assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  specialSecretSig as SECRET_SIG,
  specialSigKey as SECRET_KEY,
  unknownValue as UNKNOWN,
} from "@pulumi/pulumi/runtime/rpc";
import { ProviderClient, urnOf } from "../../e2e/providers/client";

function secret(value: unknown) {
  return { [SECRET_KEY]: SECRET_SIG, value };
}

describe("emulated providers (gRPC, as the engine calls them)", function () {
  this.timeout(60_000);
  let stateDir: string;
  let gcp: ProviderClient;
  let random: ProviderClient;

  before(async () => {
    stateDir = mkdtempSync(path.join(os.tmpdir(), "emulated-provider-"));
    const env = { ...process.env, PULUMI_SIM_STATE_DIR: stateDir };
    [gcp, random] = await Promise.all([
      ProviderClient.start("gcp", env),
      ProviderClient.start("random", env),
    ]);
    await gcp.configure({ "gcp:config:project": "foobar-web-dev", "gcp:config:region": "europe-west1" });
  });

  after(() => {
    gcp?.stop();
    random?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it("reports the version the SDK requests and accepts secrets", async () => {
    assert.equal(await gcp.pluginVersion(), "9.37.0");
    assert.equal((await gcp.configure({ "gcp:config:project": "foobar-web-dev" })).getAcceptsecrets(), true);
  });

  it("autonames in check and keeps the name on later checks", async () => {
    const urn = urnOf("gcp:compute/network:Network", "vpc");
    const first = await gcp.check(urn, {}, { autoCreateSubnetworks: false });
    assert.match(String(first.name), /^vpc-[0-9a-f]{7}$/);
    const again = await gcp.check(urn, first, { autoCreateSubnetworks: false, mtu: 1500 });
    assert.equal(again.name, first.name);
    const given = await gcp.check(urn, first, { name: "main" });
    assert.equal(given.name, "main");
  });

  it("creates with the configured project and region, and diffs its own outputs as no change", async () => {
    const urn = urnOf("gcp:compute/subnetwork:Subnetwork", "web");
    const inputs = await gcp.check(
      urn,
      {},
      { network: "projects/foobar-web-dev/global/networks/vpc", ipCidrRange: "10.1.0.0/24" },
    );
    const { id, outputs } = await gcp.create(urn, inputs);
    assert.equal(id, `projects/foobar-web-dev/regions/europe-west1/subnetworks/${String(inputs.name)}`);
    assert.equal(outputs.gatewayAddress, "10.1.0.1");
    assert.deepEqual(await gcp.diff(urn, id, outputs, inputs), { changes: "none", replaces: [] });
    assert.deepEqual(await gcp.diff(urn, id, outputs, { ...inputs, privateIpGoogleAccess: true }), {
      changes: "some",
      replaces: [],
    });
    assert.deepEqual(await gcp.diff(urn, id, outputs, { ...inputs, ipCidrRange: "10.2.0.0/24" }), {
      changes: "some",
      replaces: ["ipCidrRange"],
    });
    assert.deepEqual(await gcp.diff(urn, id, outputs, { ...inputs, ipCidrRange: UNKNOWN }), {
      changes: "some",
      replaces: ["ipCidrRange"],
    });
  });

  it("ignores nested computed properties when diffing (a backend's balancing mode)", async () => {
    const urn = urnOf("gcp:compute/backendService:BackendService", "web");
    const group =
      "https://www.googleapis.com/compute/v1/projects/foobar-web-dev/regions/europe-west1/instanceGroups/web";
    const inputs = await gcp.check(urn, {}, { protocol: "HTTPS", backends: [{ group }] });
    const { id, outputs } = await gcp.create(urn, inputs);
    assert.equal((outputs.backends as Record<string, unknown>[])[0].balancingMode, "UTILIZATION");
    assert.equal((await gcp.diff(urn, id, outputs, inputs)).changes, "none");
    const update = await gcp.update(urn, id, outputs, { ...inputs, timeoutSec: 60 });
    assert.equal(update.timeoutSec, 60);
    assert.equal(update.generatedId, outputs.generatedId, "an update keeps the computed properties");
  });

  it("keeps secret inputs secret and makes the SDK's secret outputs secret", async () => {
    const urn = urnOf("gcp:sql/user:User", "app");
    const { outputs } = await gcp.create(urn, {
      name: "app",
      instance: "db-1",
      password: secret("correct horse battery"),
    });
    assert.deepEqual(outputs.password, secret("correct horse battery"));
    const plainNews = { name: "app", instance: "db-1", password: "correct horse battery" };
    assert.equal((await gcp.diff(urn, "app//db-1", outputs, plainNews)).changes, "none");

    const passwordUrn = urnOf("random:index/randomPassword:RandomPassword", "db");
    const made = await random.create(passwordUrn, { length: 24 });
    const result = made.outputs.result as Record<string, unknown>;
    assert.equal(result[SECRET_KEY], SECRET_SIG);
    assert.equal(String(result.value).length, 24);
    assert.equal((made.outputs.bcryptHash as Record<string, unknown>)[SECRET_KEY], SECRET_SIG);

    // The suite's record of secrets (to search the state for) holds the value, and only the owner may read it.
    const recorded = readFileSync(path.join(stateDir, "secrets.jsonl"), "utf8");
    assert.ok(recorded.includes(JSON.stringify(result.value)));
    assert.ok(recorded.includes('"correct horse battery"'));
    assert.equal(statSync(path.join(stateDir, "secrets.jsonl")).mode & 0o077, 0);
  });

  it("replaces a random resource on any input change", async () => {
    const urn = urnOf("random:index/randomPassword:RandomPassword", "db");
    const made = await random.create(urn, { length: 24 });
    assert.deepEqual(await random.diff(urn, made.id, made.outputs, { length: 24 }), {
      changes: "none",
      replaces: [],
    });
    assert.deepEqual(await random.diff(urn, made.id, made.outputs, { length: 32 }), {
      changes: "some",
      replaces: ["length"],
    });
  });

  it("refuses to delete a Cloud SQL instance with deletion protection, as the google provider does", async () => {
    const urn = urnOf("gcp:sql/databaseInstance:DatabaseInstance", "db");
    const inputs = await gcp.check(
      urn,
      {},
      { databaseVersion: "MYSQL_8_0", deletionProtection: true, settings: { tier: "db-f1-micro" } },
    );
    const { id, outputs } = await gcp.create(urn, inputs);
    assert.equal(outputs.connectionName, `foobar-web-dev:europe-west1:${String(inputs.name)}`);
    await assert.rejects(gcp.delete(urn, id, outputs), /deletion_protection is set to true/);
    await gcp.delete(urn, id, { ...outputs, deletionProtection: false });
    assert.equal((await gcp.read(urn, id, outputs)).id, "", "a deleted resource reads as gone");
  });

  it("replaces an instance template on any change but its labels, as templates cannot be updated", async () => {
    const urn = urnOf("gcp:compute/instanceTemplate:InstanceTemplate", "web-template");
    const inputs = await gcp.check(urn, {}, { machineType: "e2-small", labels: { tier: "web" } });
    const { id, outputs } = await gcp.create(urn, inputs);
    assert.match(
      String(outputs.selfLinkUnique),
      new RegExp(`^${id.replace(/[/]/g, "\\/")}\\?uniqueId=\\d{19}$`),
    );
    assert.deepEqual(await gcp.diff(urn, id, outputs, { ...inputs, machineType: "e2-medium" }), {
      changes: "some",
      replaces: ["machineType"],
    });
    assert.deepEqual(await gcp.diff(urn, id, outputs, { ...inputs, labels: { tier: "front" } }), {
      changes: "some",
      replaces: [],
    });
  });

  it("refuses to delete a template or health check a managed group uses, until the group moves on", async () => {
    const templateUrn = urnOf("gcp:compute/instanceTemplate:InstanceTemplate", "t");
    const first = await gcp.create(
      templateUrn,
      await gcp.check(templateUrn, {}, { machineType: "e2-small" }),
    );
    const checkUrn = urnOf("gcp:compute/healthCheck:HealthCheck", "hc");
    const healthCheck = await gcp.create(
      checkUrn,
      await gcp.check(checkUrn, {}, { httpsHealthCheck: { port: 443 } }),
    );
    const groupUrn = urnOf("gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager", "group");
    const groupInputs = await gcp.check(
      groupUrn,
      {},
      {
        baseInstanceName: "web",
        targetSize: 3,
        versions: [{ instanceTemplate: first.outputs.selfLinkUnique }],
        autoHealingPolicies: { healthCheck: healthCheck.id, initialDelaySec: 600 },
      },
    );
    const group = await gcp.create(groupUrn, groupInputs);
    assert.equal(
      group.outputs.instanceGroup,
      `https://www.googleapis.com/compute/v1/projects/foobar-web-dev/regions/europe-west1/instanceGroups/${String(groupInputs.name)}`,
    );
    const inUse = (path: string, kind: string) =>
      `2 UNKNOWN: googleapi: Error 400: The ${kind} resource '${path}' is already being used by '${group.id}', resourceInUseByAnotherResource`;
    await assert.rejects(gcp.delete(templateUrn, first.id, first.outputs), {
      message: inUse(first.id, "instance_template"),
    });
    await assert.rejects(gcp.delete(checkUrn, healthCheck.id, healthCheck.outputs), {
      message: inUse(healthCheck.id, "health_check"),
    });

    const second = await gcp.create(
      templateUrn,
      await gcp.check(templateUrn, {}, { machineType: "e2-medium" }),
    );
    const moved = { ...groupInputs, versions: [{ instanceTemplate: second.outputs.selfLinkUnique }] };
    await gcp.update(groupUrn, group.id, group.outputs, moved);
    await gcp.delete(templateUrn, first.id, first.outputs);
    await assert.rejects(gcp.delete(templateUrn, second.id, second.outputs), /already being used/);
    await gcp.delete(groupUrn, group.id, group.outputs);
    await gcp.delete(templateUrn, second.id, second.outputs);
    await gcp.delete(checkUrn, healthCheck.id, healthCheck.outputs);
  });

  it("refuses to delete a network its firewall rules or an abandoned private services peering still use", async () => {
    const networkUrn = urnOf("gcp:compute/network:Network", "vpc-in-use");
    const network = await gcp.create(
      networkUrn,
      await gcp.check(networkUrn, {}, { autoCreateSubnetworks: false }),
    );
    const ruleUrn = urnOf("gcp:compute/firewall:Firewall", "rule");
    const rule = await gcp.create(
      ruleUrn,
      await gcp.check(ruleUrn, {}, { network: network.id, direction: "INGRESS" }),
    );
    await assert.rejects(gcp.delete(networkUrn, network.id, network.outputs), {
      message: `2 UNKNOWN: googleapi: Error 400: The network resource '${network.id}' is already being used by '${rule.id}', resourceInUseByAnotherResource`,
    });
    await gcp.delete(ruleUrn, rule.id, rule.outputs);

    const rangeUrn = urnOf("gcp:compute/globalAddress:GlobalAddress", "psa-range");
    const rangeInputs = await gcp.check(
      rangeUrn,
      {},
      { network: network.id, purpose: "VPC_PEERING", prefixLength: 20 },
    );
    const range = await gcp.create(rangeUrn, rangeInputs);
    const peeringUrn = urnOf("gcp:servicenetworking/connection:Connection", "psa");
    const peering = await gcp.create(peeringUrn, {
      network: network.id,
      service: "servicenetworking.googleapis.com",
      reservedPeeringRanges: [rangeInputs.name],
      deletionPolicy: "ABANDON",
    });
    await gcp.delete(peeringUrn, peering.id, peering.outputs);
    // The range holds the network as much as the peering does, and the peering holds the range.
    await assert.rejects(gcp.delete(networkUrn, network.id, network.outputs), /is already being used by/);
    await assert.rejects(gcp.delete(rangeUrn, range.id, range.outputs), {
      message: new RegExp(`The address resource '${range.id}' is already being used by`),
    });
  });

  it("refuses invokes over gRPC, naming the function", async () => {
    await assert.rejects(gcp.invoke("gcp:compute/getZones:getZones", {}), {
      message:
        /^2 UNKNOWN: The simulated cloud answers no provider function \(invoke\), and the program calls none: gcp:compute\/getZones:getZones was called\./,
    });
  });
});
