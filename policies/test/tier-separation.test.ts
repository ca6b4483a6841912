import * as assert from "assert";
import { T } from "../lib/types";
import { UNKNOWN } from "../lib/unknowns";
import { vmDisallowDatabaseServer as noDatabase } from "../tier-separation/vm-disallow-database-server";
import { cantRun, compliantProps, compliantTemplate, copy, Props, runOn, violation } from "./util";

describe("tier-separation: gcp-vm-disallow-database-server", () => {
  const vm = compliantProps("web-0");
  const withScript = (script: string): Props => {
    const props = copy(vm);
    props.metadata["startup-script"] += `\n${script}\n`;
    return props;
  };
  const message = (kind: string, server: string) =>
    `${kind} "subject" installs the database server "${server}" in its startup script, next to the web tier; ` +
    "remove it and use the Cloud SQL instance of the database tier instead.";

  it("passes the compliant web VM (nginx, Ops Agent and a MySQL client are fine)", () => {
    assert.deepStrictEqual(runOn(noDatabase, T.instance, vm), []);
    assert.deepStrictEqual(
      runOn(noDatabase, T.instance, withScript("apt-get install -y default-mysql-client")),
      [],
    );
  });

  it("reports a startup script that installs a MySQL server", () => {
    assert.deepStrictEqual(runOn(noDatabase, T.instance, withScript("apt-get install -y mysql-server")), [
      violation(noDatabase, { name: "subject", type: T.instance }, message("VM", "mysql-server")),
    ]);
  });

  it("reports MariaDB installed on a continued command line", () => {
    assert.deepStrictEqual(
      runOn(noDatabase, T.instance, withScript("apt-get install -y \\\n  nginx \\\n  mariadb-server")),
      [violation(noDatabase, { name: "subject", type: T.instance }, message("VM", "mariadb-server"))],
    );
  });

  it("reports a database run in a container", () => {
    assert.deepStrictEqual(runOn(noDatabase, T.instance, withScript("docker run -d mysql:8.0")), [
      violation(noDatabase, { name: "subject", type: T.instance }, message("VM", "mysql:8.0")),
    ]);
  });

  for (const [script, server] of [
    ["apt-get install -y mysql-server-8.0", "mysql-server-8.0"],
    ["apt-get install -y mariadb-server-10.6", "mariadb-server-10.6"],
    ["dnf install -y mysql-server", "mysql-server"],
    ["apt-get install -y postgresql-15", "postgresql-15"],
  ]) {
    it(`reports a versioned or distribution-specific server package: ${script}`, () => {
      assert.deepStrictEqual(runOn(noDatabase, T.instance, withScript(script)), [
        violation(noDatabase, { name: "subject", type: T.instance }, message("VM", server)),
      ]);
    });
  }

  it("reports a database image with an organisation prefix, run or in a compose file", () => {
    assert.deepStrictEqual(
      runOn(
        noDatabase,
        T.instance,
        withScript("docker run -d -e MYSQL_ROOT_PASSWORD=x mysql/mysql-server:8.0"),
      ),
      [violation(noDatabase, { name: "subject", type: T.instance }, message("VM", "mysql/mysql-server:8.0"))],
    );
    const compose = "cat > compose.yaml <<EOF\nservices:\n  db:\n    image: bitnami/mysql\nEOF";
    assert.deepStrictEqual(runOn(noDatabase, T.instance, withScript(compose)), [
      violation(noDatabase, { name: "subject", type: T.instance }, message("VM", "bitnami/mysql")),
    ]);
  });

  it("ignores commented-out installs, whole-line or trailing", () => {
    assert.deepStrictEqual(
      runOn(noDatabase, T.instance, withScript("# apt-get install -y mysql-server")),
      [],
    );
    assert.deepStrictEqual(
      runOn(
        noDatabase,
        T.instance,
        withScript("apt-get install -y nginx # later: apt-get install -y mysql-server"),
      ),
      [],
    );
    assert.deepStrictEqual(runOn(noDatabase, T.instance, withScript("  # docker run -d mysql:8.0")), []);
  });

  it("reads metadataStartupScript and cloud-init user-data too", () => {
    const viaField = { ...copy(vm), metadataStartupScript: "yum install -y postgresql-server" };
    assert.deepStrictEqual(runOn(noDatabase, T.instance, viaField), [
      violation(noDatabase, { name: "subject", type: T.instance }, message("VM", "postgresql-server")),
    ]);
    const viaCloudInit = copy(vm);
    viaCloudInit.metadata["user-data"] = "#cloud-config\npackages:\n  - nginx\n  - mysql-server\n";
    assert.strictEqual(runOn(noDatabase, T.instance, viaCloudInit).length, 1);
  });

  it("checks instance templates", () => {
    const template = compliantTemplate();
    template.metadata = { ...template.metadata, "startup-script": "apt-get install -y mysql-server" };
    assert.deepStrictEqual(runOn(noDatabase, T.instanceTemplate, template), [
      violation(
        noDatabase,
        { name: "subject", type: T.instanceTemplate },
        message("Instance template", "mysql-server"),
      ),
    ]);
  });

  it("reports an OS policy assignment that installs a database server", () => {
    const assignment = {
      location: "us-central1-a",
      instanceFilter: { all: true },
      rollout: { disruptionBudget: { percent: 100 }, minWaitDuration: "0s" },
      osPolicies: [
        {
          id: "db",
          mode: "ENFORCEMENT",
          resourceGroups: [
            {
              resources: [{ id: "mysql", pkg: { desiredState: "INSTALLED", apt: { name: "mysql-server" } } }],
            },
          ],
        },
      ],
    };
    assert.deepStrictEqual(runOn(noDatabase, T.osPolicyAssignment, assignment), [
      violation(
        noDatabase,
        { name: "subject", type: T.osPolicyAssignment },
        'OS policy assignment "subject" installs the database server "mysql-server" on the VMs it targets; ' +
          "remove it and use the Cloud SQL instance of the database tier instead.",
      ),
    ]);
  });

  it("reports nothing it cannot know during preview", () => {
    const props = copy(vm);
    props.metadata["startup-script"] = UNKNOWN;
    assert.deepStrictEqual(runOn(noDatabase, T.instance, props), [
      cantRun(noDatabase, { name: "subject", type: T.instance }, "metadata.startup-script"),
    ]);
  });
});
