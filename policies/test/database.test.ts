import * as assert from "assert";
import { cloudSqlPrimaryRequiresAutomaticFailover as failover } from "../database/cloudsql-primary-requires-automatic-failover";
import { cloudSqlPrimaryRequiresReadReplica as replica } from "../database/cloudsql-primary-requires-read-replica";
import { cloudSqlRequiresBackupsAndBinaryLogging as backups } from "../database/cloudsql-requires-backups-and-binary-logging";
import { T } from "../lib/types";
import { UNKNOWN } from "../lib/unknowns";
import { cantRun, compliantProps, copy, remove, run, runOn, stackWith, violation } from "./util";

const subject = { name: "subject", type: T.databaseInstance };

describe("database: gcp-cloudsql-primary-requires-automatic-failover", () => {
  const primary = compliantProps("db-primary");

  it("passes the compliant primary, and does not apply to replicas", () => {
    assert.deepStrictEqual(runOn(failover, T.databaseInstance, primary), []);
    assert.deepStrictEqual(runOn(failover, T.databaseInstance, compliantProps("db-replica-0")), []);
  });

  it("reports a ZONAL primary", () => {
    const props = copy(primary);
    props.settings.availabilityType = "ZONAL";
    assert.deepStrictEqual(runOn(failover, T.databaseInstance, props), [
      violation(
        failover,
        subject,
        'Cloud SQL primary "subject" has availability type ZONAL: it is the only instance that accepts writes and has no standby to fail over to; ' +
          'set settings.availabilityType to "REGIONAL".',
      ),
    ]);
  });

  it("reports an omitted availability type, which means ZONAL", () => {
    const props = copy(primary);
    delete props.settings.availabilityType;
    assert.deepStrictEqual(runOn(failover, T.databaseInstance, props), [
      violation(
        failover,
        subject,
        'Cloud SQL primary "subject" has no availability type, which means ZONAL: it is the only instance that accepts writes and has no standby to fail over to; ' +
          'set settings.availabilityType to "REGIONAL".',
      ),
    ]);
  });

  it("says it can't run during preview on settings not known yet", () => {
    const subject = { name: "subject", type: T.databaseInstance };
    const props = copy(primary);
    props.settings.availabilityType = UNKNOWN;
    assert.deepStrictEqual(runOn(failover, T.databaseInstance, props), [
      cantRun(failover, subject, "settings.availabilityType"),
    ]);
    assert.deepStrictEqual(runOn(failover, T.databaseInstance, { ...copy(primary), settings: UNKNOWN }), [
      cantRun(failover, subject, "settings"),
    ]);
  });
});

describe("database: gcp-cloudsql-primary-requires-read-replica", () => {
  const primary = { name: "db-primary", type: T.databaseInstance };
  const message = (count: number, min = 1) =>
    `Cloud SQL primary "db-primary" has ${count} read replica${count === 1 ? "" : "s"} (at least ${min} required); ` +
    "add a DatabaseInstance with masterInstanceName set to this primary, in another zone.";

  it("passes the compliant stack", () => {
    assert.deepStrictEqual(
      run(
        replica,
        stackWith(() => {}),
      ),
      [],
    );
  });

  it("reports a primary without replicas", () => {
    const stack = stackWith((_, all) => remove(all, "db-replica-0"));
    assert.deepStrictEqual(run(replica, stack), [violation(replica, primary, message(0))]);
  });

  it("reports a replica of another primary as no replica of this one", () => {
    const stack = stackWith((r) => {
      r("db-replica-0").props.masterInstanceName = "someone-elses-db";
      r("db-replica-0").dependencies = [];
    });
    assert.deepStrictEqual(run(replica, stack), [violation(replica, primary, message(0))]);
  });

  it("takes the number of replicas from the policy config", () => {
    const stack = stackWith(() => {});
    assert.deepStrictEqual(run(replica, stack, { [replica.name]: { minReplicas: 2 } }), [
      violation(replica, primary, message(1, 2)),
    ]);
  });

  it("matches a replica to its primary by dependency when masterInstanceName is unknown", () => {
    const stack = stackWith((r) => (r("db-replica-0").props.masterInstanceName = UNKNOWN));
    assert.deepStrictEqual(run(replica, stack), []);
  });

  it("matches a replica to its primary by project:name", () => {
    const stack = stackWith((r) => {
      r("db-replica-0").props.masterInstanceName = "foobar-prod:foobar-web-db";
      r("db-replica-0").dependencies = [];
    });
    assert.deepStrictEqual(run(replica, stack), []);
  });
});

describe("database: gcp-cloudsql-requires-backups-and-binary-logging", () => {
  const primary = compliantProps("db-primary");

  it("passes the compliant primary, and does not apply to replicas", () => {
    assert.deepStrictEqual(runOn(backups, T.databaseInstance, primary), []);
    assert.deepStrictEqual(runOn(backups, T.databaseInstance, compliantProps("db-replica-0")), []);
  });

  it("reports backups off", () => {
    const props = copy(primary);
    props.settings.backupConfiguration.enabled = false;
    assert.deepStrictEqual(runOn(backups, T.databaseInstance, props), [
      violation(
        backups,
        subject,
        'Cloud SQL primary "subject" has automated backups off; set settings.backupConfiguration.enabled to true.',
      ),
    ]);
  });

  it("reports binary logging off", () => {
    const props = copy(primary);
    delete props.settings.backupConfiguration.binaryLogEnabled;
    assert.deepStrictEqual(runOn(backups, T.databaseInstance, props), [
      violation(
        backups,
        subject,
        'Cloud SQL primary "subject" has binary logging off, so it cannot be recovered to a point in time; ' +
          "set settings.backupConfiguration.binaryLogEnabled to true.",
      ),
    ]);
  });

  it("reports both when there is no backup configuration at all", () => {
    const props = copy(primary);
    delete props.settings.backupConfiguration;
    assert.strictEqual(runOn(backups, T.databaseInstance, props).length, 2);
  });

  it("asks PostgreSQL primaries for point-in-time recovery instead of binary logs", () => {
    const props = { ...copy(primary), databaseVersion: "POSTGRES_16" };
    assert.deepStrictEqual(runOn(backups, T.databaseInstance, props), [
      violation(
        backups,
        subject,
        'Cloud SQL primary "subject" has point-in-time recovery off; set settings.backupConfiguration.pointInTimeRecoveryEnabled to true.',
      ),
    ]);
  });

  it("says it can't run during preview on a backup configuration not known yet", () => {
    const props = copy(primary);
    props.settings.backupConfiguration = UNKNOWN;
    assert.deepStrictEqual(runOn(backups, T.databaseInstance, props), [
      cantRun(backups, { name: "subject", type: T.databaseInstance }, "settings.backupConfiguration"),
    ]);
  });
});
