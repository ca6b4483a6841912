import * as gcp from "@pulumi/gcp";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { propsAs, StackIndex } from "../lib/stack";
import { T } from "../lib/types";
import { elementsOf, known, NOT_KNOWN } from "../lib/unknowns";
import { quote } from "../lib/values";

const MANAGED_GROUP_TYPES = [T.instanceGroupManager, T.regionInstanceGroupManager];

/** The managed instance groups that back a load balancer's backend service, with the service. */
function managedGroupsBehindLoadBalancers(index: StackIndex): Map<PolicyResource, PolicyResource> {
  const served = new Map<PolicyResource, PolicyResource>();
  for (const service of index.ofType(T.backendService, T.regionBackendService)) {
    const backends = known(() => propsAs(service, gcp.compute.BackendService).backends);
    for (const backend of elementsOf(backends === NOT_KNOWN ? [] : (backends ?? []))) {
      const group = () => backend().group;
      for (const manager of index.resolve(service, "backends", group, MANAGED_GROUP_TYPES).found) {
        if (!served.has(manager)) served.set(manager, service);
      }
    }
  }
  return served;
}

export const managedGroupRequiresAutohealing: StackValidationPolicy = {
  name: "gcp-managed-group-requires-autohealing",
  severity: "medium",
  remediationSteps:
    "Set autoHealingPolicies on the group, with a health check and an initialDelaySec long enough for a VM to boot.",
  url: "https://cloud.google.com/compute/docs/instance-groups/autohealing-instances-in-migs",
  description:
    "No single point of failure in front or behind: a managed instance group that serves a load balancer heals itself: it has an autohealing health check, so a VM that stops answering is recreated rather than left out of rotation for good.",
  validateStack: (args, report) => {
    const index = StackIndex.of(args.resources);
    const served = managedGroupsBehindLoadBalancers(index);
    if (served.size === 0) args.notApplicable("No managed instance group serves a backend service.");
    for (const [manager, service] of served) {
      // The provider takes one policy, given as an object (or a one-element list in raw state).
      const healthCheck = known(() => {
        const policy: unknown = propsAs(manager, gcp.compute.RegionInstanceGroupManager).autoHealingPolicies;
        const first = (Array.isArray(policy) ? policy[0] : policy) as { healthCheck?: string } | undefined;
        return first?.healthCheck;
      });
      if (healthCheck === NOT_KNOWN || (healthCheck ?? "") !== "") continue;
      report(
        `Managed instance group ${quote(manager.name)} serves backend service ${quote(service.name)} without autohealing, ` +
          "so a VM whose site stops answering stays broken until someone replaces it; set autoHealingPolicies with a " +
          "health check on its serving port and an initialDelaySec long enough for a first boot.",
        manager.urn,
      );
    }
  },
};
