import * as assert from "assert";
import { backendPoolRequiresTwoZones as pool } from "../availability/backend-pool-requires-two-zones";
import { loadBalancerRequiresGlobalManaged as globalManaged } from "../availability/load-balancer-requires-global-managed";
import { T } from "../lib/types";
import { UNKNOWN } from "../lib/unknowns";
import {
  cantRun,
  compliantProps,
  copy,
  remove,
  run,
  runOn,
  stackWith,
  TestResource,
  violation,
} from "./util";

const backend = { name: "lb-backend", type: T.backendService };
const G = "https://www.googleapis.com/compute/v1/projects/foobar-prod";

/** Keeps only the given instance groups behind the backend service. */
function keepGroups(r: (name: string) => TestResource, all: TestResource[], zones: string[]): void {
  const dropped = ["us-central1-a", "us-central1-b", "us-central1-c"].filter((z) => !zones.includes(z));
  remove(all, ...dropped.map((z) => `web-ig-${z}`));
  const service = r("lb-backend").props;
  service.backends = service.backends.filter((b: { group: string }) =>
    zones.some((z) => b.group.includes(`/${z}/`)),
  );
}

describe("availability: gcp-backend-pool-requires-two-zones", () => {
  const oneZone =
    'Backend service "lb-backend" has its servers only in "us-central1-a" (at least 2 zones required), ' +
    "so one zone going down takes the site down; spread its instance groups over more zones.";

  it("passes the compliant stack (three VMs in three zones)", () => {
    assert.deepStrictEqual(
      run(
        pool,
        stackWith(() => {}),
      ),
      [],
    );
  });

  it("reports a pool in a single zone", () => {
    const stack = stackWith((r) => {
      for (const name of ["web-1", "web-2"]) {
        const link = r(name).props.selfLink as string;
        r("web-ig-us-central1-a").props.instances.push(link);
      }
      r("web-ig-us-central1-a").dependencies = ["web-0", "web-1", "web-2"];
      r("lb-backend").props.backends = r("lb-backend").props.backends.slice(0, 1);
    });
    assert.deepStrictEqual(run(pool, stack), [violation(pool, backend, oneZone)]);
  });

  it("does not count zones whose instance groups are empty", () => {
    const stack = stackWith((r) => {
      for (const name of ["web-1", "web-2"]) {
        const link = r(name).props.selfLink as string;
        r("web-ig-us-central1-a").props.instances.push(link);
      }
      r("web-ig-us-central1-a").dependencies = ["web-0", "web-1", "web-2"];
      for (const zone of ["us-central1-b", "us-central1-c"]) {
        r(`web-ig-${zone}`).props.instances = [];
        r(`web-ig-${zone}`).dependencies = [];
      }
    });
    assert.deepStrictEqual(run(pool, stack), [violation(pool, backend, oneZone)]);
  });

  it("does not count the zone of an empty managed instance group", () => {
    const stack = stackWith((r, all) => {
      keepGroups(r, all, ["us-central1-a", "us-central1-b"]);
      remove(all, "web-ig-us-central1-b");
      r("web-ig-us-central1-a").props.instances.push(r("web-1").props.selfLink);
      all.push({
        type: T.instanceGroupManager,
        name: "web-mig",
        props: { name: "foobar-web-mig", zone: "us-central1-b", targetSize: 0 },
        dependencies: [],
      });
      r("lb-backend").props.backends = [
        r("lb-backend").props.backends[0],
        { group: "projects/foobar-prod/zones/us-central1-b/instanceGroups/foobar-web-mig" },
      ];
    });
    assert.deepStrictEqual(run(pool, stack), [violation(pool, backend, oneZone)]);
  });

  it("reports a pool of a single server (webInstanceCount 1)", () => {
    const stack = stackWith((r, all) => {
      remove(all, "web-1", "web-2");
      keepGroups(r, all, ["us-central1-a"]);
    });
    assert.deepStrictEqual(run(pool, stack), [
      violation(
        pool,
        backend,
        'Backend service "lb-backend" has 1 server behind it (at least 2 required), so one server failing takes the site down; ' +
          "add instances to its instance groups.",
      ),
      violation(pool, backend, oneZone),
    ]);
  });

  it("reports a backend service without backends", () => {
    const stack = stackWith((r) => {
      delete r("lb-backend").props.backends;
      r("lb-backend").dependencies = [];
    });
    assert.deepStrictEqual(run(pool, stack), [
      violation(
        pool,
        backend,
        'Backend service "lb-backend" has no backends; add instance groups in at least 2 zones.',
      ),
    ]);
  });

  it("takes the minimum zones and servers from the policy config", () => {
    const config = { [pool.name]: { minZones: 4, minInstances: 4 } };
    assert.strictEqual(
      run(
        pool,
        stackWith(() => {}),
        config,
      ).length,
      2,
    );
  });

  it("counts managed instance groups: zonal by their zone, regional by their zones", () => {
    const stack = stackWith((r, all) => {
      keepGroups(r, all, []);
      all.push({
        type: T.regionInstanceGroupManager,
        name: "web-mig",
        props: {
          name: "foobar-web-mig",
          region: "us-central1",
          targetSize: 3,
          distributionPolicyZones: ["us-central1-a", "us-central1-b"],
          instanceGroup: `${G}/regions/us-central1/instanceGroups/foobar-web-mig`,
        },
      });
      r("lb-backend").props.backends = [{ group: `${G}/regions/us-central1/instanceGroups/foobar-web-mig` }];
    });
    assert.deepStrictEqual(run(pool, stack), []);
    const zonal = stackWith((r, all) => {
      keepGroups(r, all, []);
      all.push({
        type: T.instanceGroupManager,
        name: "web-mig",
        props: { name: "foobar-web-mig", zone: "us-central1-a", targetSize: 3 },
        dependencies: [],
      });
      r("lb-backend").props.backends = [
        { group: "projects/foobar-prod/zones/us-central1-a/instanceGroups/foobar-web-mig" },
      ];
    });
    assert.deepStrictEqual(run(pool, zonal), [violation(pool, backend, oneZone)]);
  });

  it("follows instance groups through dependencies when the backends' groups are unknown", () => {
    const stack = stackWith((r, all) => {
      keepGroups(r, all, ["us-central1-a"]);
      r("lb-backend").props.backends = [{ group: UNKNOWN }];
    });
    assert.strictEqual(run(pool, stack).length, 2);
  });

  it("reports nothing it cannot know during preview", () => {
    const stack = stackWith((r) => (r("lb-backend").props.backends = UNKNOWN));
    assert.deepStrictEqual(run(pool, stack), []);
  });
});

describe("availability: gcp-load-balancer-requires-global-managed", () => {
  const service = compliantProps("lb-backend");
  const rule = compliantProps("lb-https-rule");

  it("passes the compliant backend service and forwarding rules", () => {
    assert.deepStrictEqual(runOn(globalManaged, T.backendService, service), []);
    assert.deepStrictEqual(runOn(globalManaged, T.globalForwardingRule, rule), []);
  });

  it("reports a classic external backend service", () => {
    assert.deepStrictEqual(
      runOn(globalManaged, T.backendService, { ...copy(service), loadBalancingScheme: "EXTERNAL" }),
      [
        violation(
          globalManaged,
          { name: "subject", type: T.backendService },
          'Backend service "subject" belongs to a classic external load balancer (loadBalancingScheme "EXTERNAL"); ' +
            'set loadBalancingScheme to "EXTERNAL_MANAGED" to use the global external managed load balancer.',
        ),
      ],
    );
  });

  it("reports an omitted scheme, which means the classic load balancer", () => {
    const props = copy(rule);
    delete props.loadBalancingScheme;
    assert.deepStrictEqual(runOn(globalManaged, T.globalForwardingRule, props), [
      violation(
        globalManaged,
        { name: "subject", type: T.globalForwardingRule },
        'Forwarding rule "subject" belongs to a classic external load balancer (no loadBalancingScheme, which means EXTERNAL); ' +
          'set loadBalancingScheme to "EXTERNAL_MANAGED" to use the global external managed load balancer.',
      ),
    ]);
  });

  it("reports a regional external load balancer", () => {
    const regional = { region: "us-central1", protocol: "HTTPS", loadBalancingScheme: "EXTERNAL_MANAGED" };
    assert.deepStrictEqual(runOn(globalManaged, T.regionBackendService, regional), [
      violation(
        globalManaged,
        { name: "subject", type: T.regionBackendService },
        'Backend service "subject" belongs to a regional external load balancer (loadBalancingScheme "EXTERNAL_MANAGED"), ' +
          'which lives and fails with one region; serve the site through a global BackendService with loadBalancingScheme "EXTERNAL_MANAGED".',
      ),
    ]);
  });

  it("leaves internal load balancers alone", () => {
    assert.deepStrictEqual(runOn(globalManaged, T.regionBackendService, { region: "us-central1" }), []);
    assert.deepStrictEqual(
      runOn(globalManaged, T.backendService, { ...copy(service), loadBalancingScheme: "INTERNAL_MANAGED" }),
      [],
    );
  });

  it("says it can't run during preview when the scheme is not known yet, as the SDK does", () => {
    assert.deepStrictEqual(
      runOn(globalManaged, T.backendService, { ...copy(service), loadBalancingScheme: UNKNOWN }),
      [cantRun(globalManaged, { name: "subject", type: T.backendService }, "loadBalancingScheme")],
    );
  });
});
