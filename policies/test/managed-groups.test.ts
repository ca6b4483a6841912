import * as assert from "assert";
import { backendPoolRequiresTwoZones as pool } from "../availability/backend-pool-requires-two-zones";
import { managedGroupRequiresAutohealing as autohealing } from "../availability/managed-group-requires-autohealing";
import { managedGroupRequiresCapacitySafeUpdate as capacity } from "../availability/managed-group-requires-capacity-safe-update";
import { T } from "../lib/types";
import { UNKNOWN } from "../lib/unknowns";
import { compliantTemplate, Props, remove, run, stackWith, TestResource, violation } from "./util";

const G = "https://www.googleapis.com/compute/v1/projects/foobar-prod";
const groupUrl = `${G}/regions/us-central1/instanceGroups/foobar-web-group`;
const group = { name: "web-group", type: T.regionInstanceGroupManager };
const zones = ["us-central1-a", "us-central1-b", "us-central1-c"];

/** A compliant regional managed group, made like the program's web tier. */
function compliantGroup(): Props {
  return {
    name: "foobar-web-group",
    region: "us-central1",
    baseInstanceName: "foobar-web",
    targetSize: 3,
    distributionPolicyZones: [...zones],
    distributionPolicyTargetShape: "EVEN",
    versions: [
      { name: "primary", instanceTemplate: "projects/foobar-prod/global/instanceTemplates/foobar-web-t" },
    ],
    namedPorts: [{ name: "https", port: 443 }],
    autoHealingPolicies: {
      healthCheck: "projects/foobar-prod/global/healthChecks/foobar-web-autoheal",
      initialDelaySec: 600,
    },
    updatePolicy: {
      type: "PROACTIVE",
      minimalAction: "REPLACE",
      replacementMethod: "SUBSTITUTE",
      maxSurgeFixed: 3,
      maxUnavailableFixed: 0,
    },
    instanceGroup: groupUrl,
  };
}

/** The compliant stack with its VMs and unmanaged groups swapped for one regional managed group. */
function stackWithGroup(change: (props: Props, all: TestResource[]) => void = () => {}): TestResource[] {
  return stackWith((r, all) => {
    remove(all, "web-0", "web-1", "web-2", ...zones.map((z) => `web-ig-${z}`));
    all.push({ type: T.instanceTemplate, name: "web-template", props: compliantTemplate() });
    const props = compliantGroup();
    all.push({
      type: T.regionInstanceGroupManager,
      name: "web-group",
      props,
      dependencies: ["web-template"],
    });
    r("lb-backend").props.backends = [{ group: groupUrl, balancingMode: "UTILIZATION" }];
    change(props, all);
  });
}

describe("availability: gcp-managed-group-requires-autohealing", () => {
  const noHealing =
    'Managed instance group "web-group" serves backend service "lb-backend" without autohealing, so a VM whose site ' +
    "stops answering stays broken until someone replaces it; set autoHealingPolicies with a health check on its " +
    "serving port and an initialDelaySec long enough for a first boot.";

  it("passes a group behind the load balancer with an autohealing health check", () => {
    assert.deepStrictEqual(run(autohealing, stackWithGroup()), []);
  });

  it("reports a group behind the load balancer without autohealing", () => {
    const stack = stackWithGroup((props) => delete props.autoHealingPolicies);
    assert.deepStrictEqual(run(autohealing, stack), [violation(autohealing, group, noHealing)]);
  });

  it("reports an autohealing policy without a health check", () => {
    const stack = stackWithGroup(
      (props) => (props.autoHealingPolicies = { healthCheck: "", initialDelaySec: 300 }),
    );
    assert.deepStrictEqual(run(autohealing, stack), [violation(autohealing, group, noHealing)]);
  });

  it("leaves alone a group no load balancer uses", () => {
    const stack = stackWithGroup((props, all) => {
      delete props.autoHealingPolicies;
      const service = all.find((r) => r.name === "lb-backend") as TestResource;
      service.props.backends = [];
    });
    assert.deepStrictEqual(run(autohealing, stack), []);
  });

  it("reports nothing it cannot know during preview", () => {
    assert.deepStrictEqual(
      run(
        autohealing,
        stackWithGroup((props) => (props.autoHealingPolicies = UNKNOWN)),
      ),
      [],
    );
  });
});

describe("availability: gcp-managed-group-requires-capacity-safe-update", () => {
  const surge = { [capacity.name]: { requireSurge: true } };

  it("passes an update that adds VMs before removing any, with or without requireSurge", () => {
    assert.deepStrictEqual(run(capacity, stackWithGroup()), []);
    assert.deepStrictEqual(run(capacity, stackWithGroup(), surge), []);
  });

  it("reports an update that may take every VM down at once", () => {
    const stack = stackWithGroup((props) => {
      props.updatePolicy.maxUnavailableFixed = 3;
      props.updatePolicy.maxSurgeFixed = 0;
    });
    assert.deepStrictEqual(run(capacity, stack), [
      violation(
        capacity,
        group,
        'Managed instance group "web-group" may take all 3 of its VMs out of service at once during an update ' +
          "(maxUnavailable 3), which takes the site down; set updatePolicy.maxUnavailableFixed to 0 and maxSurgeFixed " +
          "to at least 3 (its number of zones, the least a regional group accepts).",
      ),
    ]);
  });

  it("counts the Compute API's default for a regional group (one VM per zone) when no update policy is given", () => {
    const stack = stackWithGroup((props) => delete props.updatePolicy);
    assert.strictEqual(run(capacity, stack).length, 1);
    const bigger = stackWithGroup((props) => {
      delete props.updatePolicy;
      props.targetSize = 6;
    });
    assert.deepStrictEqual(run(capacity, bigger), []);
  });

  it("with requireSurge, reports any VM taken out of service", () => {
    const stack = stackWithGroup((props) => {
      props.targetSize = 9;
      props.updatePolicy.maxUnavailableFixed = 3;
    });
    assert.deepStrictEqual(run(capacity, stack), []);
    assert.deepStrictEqual(run(capacity, stack, surge), [
      violation(
        capacity,
        group,
        'Managed instance group "web-group" may take 3 of its 9 VMs out of service during an update, and this stack ' +
          "requires updates that never reduce serving capacity; set updatePolicy.maxUnavailableFixed to 0 and " +
          "maxSurgeFixed to at least 3 (its number of zones, the least a regional group accepts).",
      ),
    ]);
  });

  it("reads a fixed value beside the 0 percentage the provider records with it", () => {
    const stack = stackWithGroup((props) => {
      props.updatePolicy.maxUnavailableFixed = 3;
      props.updatePolicy.maxUnavailablePercent = 0;
      props.updatePolicy.maxSurgeFixed = 0;
    });
    assert.strictEqual(run(capacity, stack).length, 1);
  });

  it("reads a percentage of the group's size", () => {
    const stack = stackWithGroup((props) => {
      delete props.updatePolicy.maxUnavailableFixed;
      props.updatePolicy.maxUnavailablePercent = 100;
    });
    assert.strictEqual(run(capacity, stack).length, 1);
  });

  it("leaves opportunistic updates alone: they replace no VM by themselves", () => {
    const stack = stackWithGroup((props) => {
      props.updatePolicy = { type: "OPPORTUNISTIC", minimalAction: "REPLACE", maxUnavailableFixed: 3 };
    });
    assert.deepStrictEqual(run(capacity, stack, surge), []);
  });

  it("reports nothing it cannot know during preview", () => {
    assert.deepStrictEqual(
      run(
        capacity,
        stackWithGroup((props) => (props.updatePolicy = UNKNOWN)),
        surge,
      ),
      [],
    );
    assert.deepStrictEqual(
      run(
        capacity,
        stackWithGroup((props) => (props.targetSize = UNKNOWN)),
        surge,
      ),
      [],
    );
  });
});

describe("availability: gcp-backend-pool-requires-two-zones on a regional managed group", () => {
  const backend = { name: "lb-backend", type: T.backendService };

  it("counts the group's size and the zones its VMs fill", () => {
    assert.deepStrictEqual(run(pool, stackWithGroup()), []);
    const one = stackWithGroup((props) => (props.targetSize = 1));
    assert.deepStrictEqual(
      run(pool, one).map((v) => v.message),
      [
        'Backend service "lb-backend" has 1 server behind it (at least 2 required), so one server failing takes the site down; add instances to its instance groups.',
        'Backend service "lb-backend" has its servers only in "us-central1-a" (at least 2 zones required), so one zone going down takes the site down; spread its instance groups over more zones.',
      ],
    );
  });

  it("reports a group whose target shape puts every VM in one zone", () => {
    const stack = stackWithGroup((props) => (props.distributionPolicyTargetShape = "ANY_SINGLE_ZONE"));
    assert.deepStrictEqual(run(pool, stack), [
      violation(
        pool,
        backend,
        'Backend service "lb-backend" has its servers in 1 zone (at least 2 zones required), so one zone going down ' +
          "takes the site down; spread its instance groups over more zones.",
      ),
    ]);
  });
});
