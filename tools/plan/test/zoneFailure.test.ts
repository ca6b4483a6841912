import { strict as assert } from "assert";
import { runOffline } from "../../offline/mockRun";
import { analyseZoneFailures } from "../zoneFailure";

describe("single-zone failure analysis", () => {
  it("dev: every zone can go down and the site stays up", async () => {
    const run = await runOffline({ stack: "dev" });
    const analysis = analyseZoneFailures(run.resources);
    assert.deepEqual(
      analysis.zones.map((z) => [
        z.zone,
        z.webServersLeft,
        z.webServersTotal,
        z.databaseWrites,
        z.databaseReads,
        z.siteUp,
      ]),
      [
        ["us-central1-a", 2, 3, "failover", true, true],
        ["us-central1-b", 2, 3, "yes", true, true],
        ["us-central1-c", 2, 3, "yes", true, true],
      ],
    );
    assert.equal(
      analysis.zones[0].summary,
      "2 of 3 web servers still serve (the managed group recreates the lost ones in the other zones); the database fails over to its standby and keeps accepting writes; the site stays up.",
    );
    assert.deepEqual(analysis.fatalZones, []);
    assert.equal(analysis.verdict, "No single zone takes the site down.");
  });

  it("a stack whose zones are all one zone is taken down by that zone", async () => {
    const run = await runOffline({ stack: "prod", overrides: { zones: '["us-central1-a"]' } });
    const analysis = analyseZoneFailures(run.resources);
    // Cloud SQL still places the REGIONAL standby in a zone of its choosing, so the database survives;
    // the web tier, all in the one zone, does not.
    const standbyZone = (
      (run.resources.find((r) => r.name === "foobar-db-primary")?.props.settings as Record<string, unknown>)
        .locationPreference as Record<string, string>
    ).secondaryZone;
    assert.notEqual(standbyZone, "us-central1-a");
    assert.deepEqual(
      analysis.zones.map((z) => [z.zone, z.webServersLeft, z.databaseWrites, z.siteUp]),
      [
        ["us-central1-a", 0, "failover", false],
        [standbyZone, 3, "yes", true],
      ],
    );
    assert.equal(
      analysis.zones[0].summary,
      "0 of 3 web servers still serve; the database fails over to its standby and keeps accepting writes; the site goes down.",
    );
    assert.equal(analysis.verdict, "Losing us-central1-a takes the site down.");
  });

  it("one zone and no failover: the zone takes web and database down together", async () => {
    const run = await runOffline({
      stack: "dev",
      overrides: { zones: '["us-central1-c"]', dbHighAvailability: "false", dbReplicaCount: "0" },
    });
    const analysis = analyseZoneFailures(run.resources);
    assert.deepEqual(
      analysis.zones.map((z) => [z.zone, z.webServersLeft, z.databaseWrites, z.databaseReads, z.siteUp]),
      [["us-central1-c", 0, "no", false, false]],
    );
    assert.equal(
      analysis.zones[0].summary,
      "0 of 3 web servers still serve; the database stops accepting writes and reads; the site goes down.",
    );
    assert.equal(analysis.verdict, "Losing us-central1-c takes the site down.");
  });

  it("without failover the primary's zone takes the site down, though replicas still answer reads", async () => {
    const run = await runOffline({ stack: "dev", overrides: { dbHighAvailability: "false" } });
    const analysis = analyseZoneFailures(run.resources);
    const a = analysis.zones.find((z) => z.zone === "us-central1-a");
    assert.deepEqual([a?.databaseWrites, a?.databaseReads, a?.siteUp], ["no", true, false]);
    assert.equal(
      a?.summary,
      "2 of 3 web servers still serve (the managed group recreates the lost ones in the other zones); the database stops accepting writes (replicas still answer reads); the site goes down.",
    );
    assert.deepEqual(analysis.fatalZones, ["us-central1-a"]);
  });

  it("one web VM: whichever zone Google puts it in takes the site down, until the group recreates it elsewhere", async () => {
    const run = await runOffline({ stack: "dev", overrides: { webInstanceCount: "1" } });
    const analysis = analyseZoneFailures(run.resources);
    assert.deepEqual(analysis.fatalZones, ["us-central1-a", "us-central1-b", "us-central1-c"]);
    assert.equal(
      analysis.zones[1].summary,
      "at worst, 0 of 1 web servers still serve (the managed group recreates the lost ones in the other zones); the database primary is unaffected; the site goes down.",
    );
  });

  it("four VMs over three zones: the zone that may hold two is counted as holding two", async () => {
    const run = await runOffline({ stack: "dev", overrides: { webInstanceCount: "4" } });
    const analysis = analyseZoneFailures(run.resources);
    assert.deepEqual(
      analysis.zones.map((z) => [z.webServersLeft, z.webServersTotal, z.webServersRecreated, z.siteUp]),
      [
        [2, 4, true, true],
        [2, 4, true, true],
        [2, 4, true, true],
      ],
    );
  });
});
