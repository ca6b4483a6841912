import { strict as assert } from "assert";
import * as path from "path";
import { validateConfig, ConfigError, RawConfig } from "../../config/validate";
import { listStacks, readStackConfig, readStackFile, StackFileError } from "../../config/stackFiles";
import { runOffline } from "../../tools/offline/mockRun";
import * as fs from "fs";
import * as os from "os";

const root = path.resolve(__dirname, "../..");
const devConfig = readStackConfig(root, "dev");

function withValue(key: string, value: string | undefined): RawConfig {
  return { ...devConfig, [key]: value };
}

function expectRejected(key: string, value: string | undefined, message: string): void {
  assert.throws(
    () => validateConfig(withValue(key, value)),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
      assert.equal(err.message, message);
      assert.equal(err.key, key);
      return true;
    },
  );
}

describe("config: the committed stack files", () => {
  it("dev: Pulumi.yaml defaults overridden by Pulumi.dev.yaml", () => {
    assert.deepEqual(validateConfig(devConfig), {
      project: "foobar-web-dev",
      region: "us-central1",
      domain: "dev.foobar.com",
      webInstanceCount: 3,
      zones: ["us-central1-a", "us-central1-b", "us-central1-c"],
      machineType: "e2-small",
      certificate: "self-signed",
      dbTier: "db-custom-1-3840",
      dbVersion: "MYSQL_8_4",
      dbHighAvailability: true,
      dbReplicaCount: 1,
      dbDeletionProtection: false,
      qpsAlertThreshold: 50,
      alerts: {
        sloAvailabilityGoal: 0.99,
        sloLatencyGoal: 0.95,
        sloLatencyMs: 1000,
        trafficDropPercent: 50,
        vmMemoryPercent: 90,
        vmDiskPercent: 90,
        dbCpuPercent: 90,
        dbDiskPercent: 90,
        dbReplicaLagSeconds: 60,
      },
      alertEmail: "ops@foobar.com",
      edgeSecurityMode: "preview",
      rateLimitPerMinute: 600,
    });
  });

  it("prod: the managed certificate for www.foobar.com, deletion protection and larger tiers", () => {
    assert.deepEqual(validateConfig(readStackConfig(root, "prod")), {
      project: "foobar-web-prod",
      region: "us-central1",
      domain: "www.foobar.com",
      webInstanceCount: 3,
      zones: ["us-central1-a", "us-central1-b", "us-central1-c"],
      machineType: "n2-standard-2",
      certificate: "managed",
      dbTier: "db-custom-4-15360",
      dbVersion: "MYSQL_8_4",
      dbHighAvailability: true,
      dbReplicaCount: 2,
      dbDeletionProtection: true,
      qpsAlertThreshold: 2000,
      alerts: {
        sloAvailabilityGoal: 0.999,
        sloLatencyGoal: 0.95,
        sloLatencyMs: 1000,
        trafficDropPercent: 50,
        vmMemoryPercent: 90,
        vmDiskPercent: 90,
        dbCpuPercent: 90,
        dbDiskPercent: 90,
        dbReplicaLagSeconds: 60,
      },
      alertEmail: "ops@foobar.com",
      edgeSecurityMode: "enforce",
      rateLimitPerMinute: 600,
    });
  });

  it("an unknown stack names the missing file and the stacks there are", () => {
    assert.throws(
      () => readStackConfig(root, "no-such-stack"),
      (err: unknown) =>
        err instanceof StackFileError &&
        err.message ===
          `Unknown stack "no-such-stack": there is no Pulumi.no-such-stack.yaml; stacks: ${listStacks(root).join(", ")}.`,
    );
  });

  describe("a stack file written by hand", () => {
    let dir: string;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-files-"));
      fs.copyFileSync(path.join(root, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
      fs.writeFileSync(
        path.join(dir, "Pulumi.staging.yaml"),
        [
          "config:",
          "  gcp:project: foobar-web-staging",
          "  dbReplicaCount: 0",
          "  foobar-web:machineType: e2-small",
          "  alertEmail:",
          "    secure: v1:c2VjcmV0:AAAA",
          "",
        ].join("\n"),
      );
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("applies keys without a namespace to the project, as the Pulumi CLI does", () => {
      const { config, encryptedKeys } = readStackFile(dir, "staging");
      assert.equal(config["foobar-web:dbReplicaCount"], "0");
      assert.equal(config["foobar-web:machineType"], "e2-small");
      assert.equal(config.dbReplicaCount, undefined);
      assert.deepEqual(encryptedKeys, ["foobar-web:alertEmail"]);
    });

    it("stops at an encrypted value with a message that says how to give it", () => {
      assert.throws(
        () => readStackConfig(dir, "staging"),
        (err: unknown) =>
          err instanceof StackFileError &&
          err.message ===
            "Pulumi.staging.yaml: foobar-web:alertEmail is an encrypted secret that only the Pulumi CLI can decrypt; " +
              "give a value for the plan with --set foobar-web:alertEmail=<value>.",
      );
    });

    it("plans what pulumi up would create: no replica, and the encrypted value given with --set", async () => {
      await assert.rejects(
        runOffline({ stack: "staging", projectDir: dir }),
        /alertEmail is an encrypted secret/,
      );
      const run = await runOffline({
        stack: "staging",
        projectDir: dir,
        overrides: { alertEmail: "oncall@foobar.com" },
      });
      const sql = run.resources.filter((r) => r.type === "gcp:sql/databaseInstance:DatabaseInstance");
      assert.deepEqual(
        sql.map((r) => r.name),
        ["foobar-db-primary"],
      );
      const channel = run.resources.find(
        (r) => r.type === "gcp:monitoring/notificationChannel:NotificationChannel",
      );
      assert.deepEqual(channel?.props.labels, { email_address: "oncall@foobar.com" });
    });
  });
});

describe("config: every invalid value is rejected with the key, the value and what is allowed", () => {
  const cases: [string, string | undefined, string][] = [
    [
      "foobar-web:domain",
      "www.foo bar.com",
      'Config "foobar-web:domain" has the invalid value "www.foo bar.com"; expected a lowercase DNS host name such as www.foobar.com.',
    ],
    [
      "foobar-web:domain",
      "localhost",
      'Config "foobar-web:domain" has the invalid value "localhost"; expected a lowercase DNS host name such as www.foobar.com.',
    ],
    [
      "foobar-web:domain",
      "WWW.FOOBAR.COM",
      'Config "foobar-web:domain" has the invalid value "WWW.FOOBAR.COM"; expected a lowercase DNS host name such as www.foobar.com.',
    ],
    [
      "foobar-web:webInstanceCount",
      "0",
      'Config "foobar-web:webInstanceCount" has the invalid value "0"; expected a whole number of 1 or more.',
    ],
    [
      "foobar-web:webInstanceCount",
      "2.5",
      'Config "foobar-web:webInstanceCount" has the invalid value "2.5"; expected a whole number of 1 or more.',
    ],
    [
      "foobar-web:webInstanceCount",
      "3x",
      'Config "foobar-web:webInstanceCount" has the invalid value "3x"; expected a whole number of 1 or more.',
    ],
    [
      "foobar-web:webInstanceCount",
      "three",
      'Config "foobar-web:webInstanceCount" has the invalid value "three"; expected a whole number of 1 or more.',
    ],
    [
      "foobar-web:zones",
      "[]",
      'Config "foobar-web:zones" has the invalid value "[]"; expected a non-empty list of distinct zones of region us-central1 (such as ["us-central1-a", "us-central1-b"]).',
    ],
    [
      "foobar-web:zones",
      '["europe-west1-b"]',
      'Config "foobar-web:zones" has the invalid value "[\\"europe-west1-b\\"]"; expected a non-empty list of distinct zones of region us-central1 (such as ["us-central1-a", "us-central1-b"]).',
    ],
    [
      "foobar-web:zones",
      '["us-central1-a","us-central1-a"]',
      'Config "foobar-web:zones" has the invalid value "[\\"us-central1-a\\",\\"us-central1-a\\"]"; expected a non-empty list of distinct zones of region us-central1 (such as ["us-central1-a", "us-central1-b"]).',
    ],
    [
      "foobar-web:zones",
      "us-central1-a",
      'Config "foobar-web:zones" has the invalid value "us-central1-a"; expected a non-empty list of distinct zones of region us-central1 (such as ["us-central1-a", "us-central1-b"]).',
    ],
    [
      "foobar-web:machineType",
      "",
      'Config "foobar-web:machineType" has the invalid value ""; expected a Compute Engine machine type such as e2-medium or n2-standard-2.',
    ],
    [
      "foobar-web:certificate",
      "letsencrypt",
      'Config "foobar-web:certificate" has the invalid value "letsencrypt"; expected one of "managed", "self-signed".',
    ],
    [
      "foobar-web:dbVersion",
      "MYSQL_8_1",
      'Config "foobar-web:dbVersion" has the invalid value "MYSQL_8_1"; expected one of "MYSQL_8_4", "MYSQL_8_0", "MYSQL_5_7", "MYSQL_5_6".',
    ],
    [
      "foobar-web:edgeSecurityMode",
      "off",
      'Config "foobar-web:edgeSecurityMode" has the invalid value "off"; expected one of "enforce", "preview".',
    ],
    [
      "foobar-web:rateLimitPerMinute",
      "0",
      'Config "foobar-web:rateLimitPerMinute" has the invalid value "0"; expected a whole number of 1 or more.',
    ],
    [
      "foobar-web:appImage",
      "nginx; rm -rf /",
      'Config "foobar-web:appImage" has the invalid value "nginx; rm -rf /"; expected a container image reference such as us-docker.pkg.dev/my-project/site/app:1.2.3, or empty for the built-in page.',
    ],
    [
      "foobar-web:dnsZone",
      "Foobar.com.",
      'Config "foobar-web:dnsZone" has the invalid value "Foobar.com."; expected the name of a Cloud DNS managed zone (lowercase letters, digits and hyphens, starting with a letter), or empty.',
    ],
    [
      "foobar-web:dbTier",
      "n1-standard-1",
      'Config "foobar-web:dbTier" has the invalid value "n1-standard-1"; expected a Cloud SQL tier such as db-custom-2-7680 or db-n1-standard-2.',
    ],
    [
      "foobar-web:dbHighAvailability",
      "yes",
      'Config "foobar-web:dbHighAvailability" has the invalid value "yes"; expected true or false.',
    ],
    [
      "foobar-web:dbReplicaCount",
      "-1",
      'Config "foobar-web:dbReplicaCount" has the invalid value "-1"; expected a whole number of 0 or more.',
    ],
    [
      "foobar-web:dbDeletionProtection",
      "1",
      'Config "foobar-web:dbDeletionProtection" has the invalid value "1"; expected true or false.',
    ],
    [
      "foobar-web:qpsAlertThreshold",
      "0",
      'Config "foobar-web:qpsAlertThreshold" has the invalid value "0"; expected a whole number of 1 or more.',
    ],
    [
      "foobar-web:qpsAlertThreshold",
      "-20",
      'Config "foobar-web:qpsAlertThreshold" has the invalid value "-20"; expected a whole number of 1 or more.',
    ],
    [
      "foobar-web:sloAvailabilityPercent",
      "99.999",
      'Config "foobar-web:sloAvailabilityPercent" has the invalid value "99.999"; expected a percentage from 95 to 99.99 with at most two decimals, such as 99.9.',
    ],
    [
      "foobar-web:sloAvailabilityPercent",
      "100",
      'Config "foobar-web:sloAvailabilityPercent" has the invalid value "100"; expected a percentage from 95 to 99.99 with at most two decimals, such as 99.9.',
    ],
    [
      "foobar-web:sloAvailabilityPercent",
      "90",
      'Config "foobar-web:sloAvailabilityPercent" has the invalid value "90"; expected a percentage from 95 to 99.99 with at most two decimals, such as 99.9.',
    ],
    [
      "foobar-web:sloAvailabilityPercent",
      "0.999",
      'Config "foobar-web:sloAvailabilityPercent" has the invalid value "0.999"; expected a percentage from 95 to 99.99 with at most two decimals, such as 99.9.',
    ],
    [
      "foobar-web:sloLatencyPercent",
      "95%",
      'Config "foobar-web:sloLatencyPercent" has the invalid value "95%"; expected a percentage from 95 to 99.99 with at most two decimals, such as 99.9.',
    ],
    [
      "foobar-web:sloLatencyMs",
      "0",
      'Config "foobar-web:sloLatencyMs" has the invalid value "0"; expected a whole number from 1 to 60000.',
    ],
    [
      "foobar-web:trafficDropPercent",
      "100",
      'Config "foobar-web:trafficDropPercent" has the invalid value "100"; expected a whole number from 1 to 99.',
    ],
    [
      "foobar-web:vmMemoryAlertPercent",
      "90.5",
      'Config "foobar-web:vmMemoryAlertPercent" has the invalid value "90.5"; expected a whole number from 1 to 99.',
    ],
    [
      "foobar-web:dbReplicaLagAlertSeconds",
      "86401",
      'Config "foobar-web:dbReplicaLagAlertSeconds" has the invalid value "86401"; expected a whole number from 1 to 86400.',
    ],
    [
      "foobar-web:alertEmail",
      "ops-at-foobar.com",
      'Config "foobar-web:alertEmail" has the invalid value "ops-at-foobar.com"; expected an e-mail address such as ops@foobar.com.',
    ],
    [
      "gcp:project",
      "Foobar_Prod",
      'Config "gcp:project" has the invalid value "Foobar_Prod"; expected a Google Cloud project ID: 6 to 30 lowercase letters, digits or hyphens, starting with a letter.',
    ],
    [
      "gcp:project",
      undefined,
      'Config "gcp:project" is not set; expected a Google Cloud project ID: 6 to 30 lowercase letters, digits or hyphens, starting with a letter.',
    ],
    [
      "gcp:region",
      "us central",
      'Config "gcp:region" has the invalid value "us central"; expected a Google Cloud region such as us-central1.',
    ],
    [
      "foobar-web:webInstanceCuont",
      "5",
      'Config "foobar-web:webInstanceCuont" has the invalid value "5"; expected a key of this project: domain, webInstanceCount, zones, machineType, certificate, dbTier, dbVersion, dbHighAvailability, dbReplicaCount, dbDeletionProtection, qpsAlertThreshold, sloAvailabilityPercent, sloLatencyPercent, sloLatencyMs, trafficDropPercent, vmMemoryAlertPercent, vmDiskAlertPercent, dbCpuAlertPercent, dbDiskAlertPercent, dbReplicaLagAlertSeconds, alertEmail, edgeSecurityMode, rateLimitPerMinute, appImage, dnsZone.',
    ],
  ];
  for (const [key, value, message] of cases) {
    it(`${key} = ${JSON.stringify(value)}`, () => expectRejected(key, value, message));
  }

  it("SLO targets become the fractions Cloud Monitoring takes, exactly", () => {
    const goal = (percent: string) =>
      validateConfig(withValue("foobar-web:sloAvailabilityPercent", percent)).alerts.sloAvailabilityGoal;
    assert.deepEqual(
      ["95", "99.5", "99.9", "99.95", "99.99"].map(goal),
      [0.95, 0.995, 0.999, 0.9995, 0.9999],
    );
  });

  it("zones are checked against the configured region", () => {
    const config = validateConfig({
      ...devConfig,
      "gcp:region": "europe-west1",
      "foobar-web:zones": '["europe-west1-b","europe-west1-c"]',
    });
    assert.deepEqual(config.zones, ["europe-west1-b", "europe-west1-c"]);
  });
});
