import * as assert from "assert";
import { cloudSqlRequiresDeletionProtection as deletion } from "../database/cloudsql-requires-deletion-protection";
import { cloudSqlRequiresSupportedVersion as version } from "../hardening/cloudsql-requires-supported-version";
import { T } from "../lib/types";
import { UNKNOWN } from "../lib/unknowns";
import { cantRun, compliantProps, Props, runOn, violation } from "./util";

const database = { name: "subject", type: T.databaseInstance };
const primary = (change: (p: Props) => void = () => {}) => {
  const props = compliantProps("db-primary");
  change(props);
  return props;
};

describe("hardening: gcp-cloudsql-requires-supported-version", () => {
  const message = (written: string) =>
    `Cloud SQL primary "subject" runs ${written}, older than MySQL 8.4; upgrade databaseVersion (Cloud SQL upgrades ` +
    "a major version in place) to MYSQL_8_4 or later.";

  it("passes MySQL 8.4 and anything newer, and leaves other engines alone", () => {
    for (const v of ["MYSQL_8_4", "MYSQL_8_4_5", "MYSQL_9_1", "POSTGRES_12"]) {
      assert.deepStrictEqual(
        runOn(
          version,
          T.databaseInstance,
          primary((p) => (p.databaseVersion = v)),
        ),
        [],
        v,
      );
    }
  });

  it("reports MySQL 8.0, 5.7 and 5.6, minor versions included", () => {
    for (const v of ["MYSQL_8_0", "MYSQL_8_0_41", "MYSQL_5_7", "MYSQL_5_6"]) {
      assert.deepStrictEqual(
        runOn(
          version,
          T.databaseInstance,
          primary((p) => (p.databaseVersion = v)),
        ),
        [violation(version, database, message(v))],
      );
    }
  });

  it("takes the oldest accepted version from the config, and can't run on a version not known yet", () => {
    const config = { [version.name]: { minimumMysqlVersion: "8.0" } };
    const v80 = primary((p) => (p.databaseVersion = "MYSQL_8_0_41"));
    assert.deepStrictEqual(runOn(version, T.databaseInstance, v80, { settings: config }), []);
    assert.deepStrictEqual(
      runOn(
        version,
        T.databaseInstance,
        primary((p) => (p.databaseVersion = UNKNOWN)),
      ),
      [cantRun(version, { name: "subject", type: T.databaseInstance }, "databaseVersion")],
    );
  });
});

describe("database: gcp-cloudsql-requires-deletion-protection", () => {
  const message = (fields: string, kind = "primary") =>
    `Cloud SQL ${kind} "subject" can be deleted: set ${fields} to true.`;

  it("passes the compliant primary and replica, and the provider's default of true", () => {
    assert.deepStrictEqual(runOn(deletion, T.databaseInstance, primary()), []);
    assert.deepStrictEqual(runOn(deletion, T.databaseInstance, compliantProps("db-replica-0")), []);
    assert.deepStrictEqual(
      runOn(
        deletion,
        T.databaseInstance,
        primary((p) => delete p.deletionProtection),
      ),
      [],
    );
  });

  it("reports either protection off, and both", () => {
    assert.deepStrictEqual(
      runOn(
        deletion,
        T.databaseInstance,
        primary((p) => (p.deletionProtection = false)),
      ),
      [violation(deletion, database, message("deletionProtection"))],
    );
    assert.deepStrictEqual(
      runOn(
        deletion,
        T.databaseInstance,
        primary((p) => delete p.settings.deletionProtectionEnabled),
      ),
      [violation(deletion, database, message("settings.deletionProtectionEnabled"))],
    );
    const replica = compliantProps("db-replica-0");
    replica.deletionProtection = false;
    replica.settings.deletionProtectionEnabled = false;
    assert.deepStrictEqual(runOn(deletion, T.databaseInstance, replica), [
      violation(
        deletion,
        database,
        message("deletionProtection and settings.deletionProtectionEnabled", "replica"),
      ),
    ]);
  });

  it("says it can't run during preview on a flag not known yet", () => {
    assert.deepStrictEqual(
      runOn(
        deletion,
        T.databaseInstance,
        primary((p) => (p.deletionProtection = UNKNOWN)),
      ),
      [cantRun(deletion, database, "deletionProtection")],
    );
    const apiUnknown = primary((p) => (p.settings.deletionProtectionEnabled = UNKNOWN));
    assert.deepStrictEqual(runOn(deletion, T.databaseInstance, apiUnknown), [
      cantRun(deletion, database, "settings.deletionProtectionEnabled"),
    ]);
  });
});
