import { strict as assert } from "assert";
import { serviceAccountId } from "../../components/web/serviceAccountId";
import { mysqlHostPattern } from "../../components/database/mysqlHostPattern";
import { replicaZone } from "../../components/database/mysqlCluster";

describe("naming and address helpers", () => {
  it("service account IDs fit the IAM rules", () => {
    assert.equal(serviceAccountId("foobar-web", "vm"), "foobar-web-vm");
    assert.equal(serviceAccountId("web", "vm"), "web-vm");
    assert.equal(serviceAccountId("w", "vm"), "w-vm-account");
    assert.equal(serviceAccountId("9Site_Web", "vm"), "site-web-vm");
    assert.equal(
      serviceAccountId("a-very-long-component-name-indeed", "vm"),
      "a-very-long-component-name-ind",
    );
  });

  it("MySQL host patterns match exactly the client subnet", () => {
    assert.equal(mysqlHostPattern("10.10.0.0/24"), "10.10.0.%");
    assert.equal(mysqlHostPattern("10.20.0.0/16"), "10.20.%");
    assert.equal(mysqlHostPattern("10.0.0.0/8"), "10.%");
    assert.throws(
      () => mysqlHostPattern("10.10.0.0/20"),
      /^Error: Cannot turn "10\.10\.0\.0\/20" into a MySQL host pattern; use a \/8, \/16 or \/24 IPv4 range\.$/,
    );
  });

  it("read replicas go to zones other than the primary's", () => {
    const zones = ["us-central1-a", "us-central1-b", "us-central1-c"];
    assert.deepEqual(
      [0, 1, 2].map((i) => replicaZone(zones, i)),
      ["us-central1-b", "us-central1-c", "us-central1-b"],
    );
    assert.equal(replicaZone(["us-central1-a"], 0), "us-central1-a");
  });
});
