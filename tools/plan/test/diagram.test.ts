import { strict as assert } from "assert";
import { runOffline, PlannedResource } from "../../offline/mockRun";
import { architectureDot } from "../diagram";

function changed(
  resources: PlannedResource[],
  name: string,
  change: (props: Record<string, unknown>) => void,
) {
  return resources.map((r) => {
    if (r.name !== name) return r;
    const props = structuredClone(r.props);
    change(props);
    return { ...r, props };
  });
}

describe("architecture diagram", () => {
  let resources: PlannedResource[];
  before(async () => {
    resources = (await runOffline({ stack: "dev" })).resources;
  });

  it("draws the planned stack: front end, firewall, VMs by zone, database roles, monitoring", () => {
    const dot = architectureDot("dev", resources);
    assert.match(dot, /"lb" \[label="Global HTTPS load balancer\\nEXTERNAL_MANAGED\\n[\d.]+"/);
    assert.match(
      dot,
      /"cert" \[label="Self-signed certificate\\n\(not browser-trusted\)\\nSSL policy RESTRICTED TLS 1\.2\+"/,
    );
    assert.match(dot, /"lb" -> "firewall" \[label="HTTPS, re-encrypted\\nto backends"/);
    for (const zone of ["us-central1-a", "us-central1-b", "us-central1-c"]) {
      assert.ok(dot.includes(`subgraph "cluster_${zone}"`), zone);
    }
    for (const zone of ["us-central1-a", "us-central1-b", "us-central1-c"]) {
      assert.ok(
        dot.includes(
          `"foobar-web-group-${zone}" [label="1 web VM (managed group, autohealed)\\nOps Agent · no public IP"`,
        ),
        zone,
      );
    }
    assert.match(
      dot,
      /"foobar-db-primary" \[label="Cloud SQL MySQL 8\.4\\nprimary \(writes\)\\nprivate IP · TLS only"/,
    );
    assert.match(
      dot,
      /"foobar-db-replica-1" \[label="Cloud SQL MySQL 8\.4\\nread replica\\nprivate IP · TLS only"/,
    );
    assert.match(dot, /"foobar-db-primary" -> "foobar-db-primary-standby" \[label="synchronous"/);
    assert.match(dot, /"foobar-db-primary" -> "foobar-db-replica-1" \[label="replication"/);
  });

  it("shows what the props say, not what the design intends", () => {
    let worse = changed(resources, "foobar-web-template", (p) => {
      (p.networkInterfaces as Record<string, unknown>[])[0].accessConfigs = [{ natIp: "" }];
      (p.metadata as Record<string, string>)["startup-script"] =
        "#!/bin/bash\napt-get install -y nginx mysql-server\n";
    });
    worse = changed(worse, "foobar-web-group", (p) => {
      delete p.autoHealingPolicies;
    });
    worse = changed(worse, "foobar-db-replica-1", (p) => {
      const ip = (p.settings as Record<string, Record<string, unknown>>).ipConfiguration;
      ip.ipv4Enabled = true;
      ip.sslMode = "ALLOW_UNENCRYPTED_AND_ENCRYPTED";
    });
    worse = changed(worse, "foobar-lb-backend", (p) => {
      p.protocol = "HTTP";
    });
    const dot = architectureDot("dev", worse);
    assert.match(
      dot,
      /"foobar-web-group-us-central1-b" \[label="1 web VM \(managed group, not autohealed\)\\nno monitoring agent · runs mysql-server · public IP"/,
    );
    assert.match(
      dot,
      /"foobar-db-replica-1" \[label="Cloud SQL MySQL 8\.4\\nread replica\\npublic IP · TLS optional"/,
    );
    assert.match(dot, /"lb" -> "firewall" \[label="plain HTTP\\nto backends", color="#d93025"\]/);
  });

  it("draws each zone's share of the group, with the remainder Google may place there", async () => {
    const big = (await runOffline({ stack: "dev", overrides: { webInstanceCount: "31" } })).resources;
    const dot = architectureDot("dev", big);
    assert.match(
      dot,
      /"foobar-web-group-us-central1-a" \[label="10–11 web VMs \(managed group, autohealed\)\\nOps Agent · no public IP"/,
    );
  });
});
