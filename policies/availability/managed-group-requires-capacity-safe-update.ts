import * as gcp from "@pulumi/gcp";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { propsAs, StackIndex } from "../lib/stack";
import { T } from "../lib/types";
import { known, NOT_KNOWN } from "../lib/unknowns";
import { isAbsent, quote } from "../lib/values";

export interface UpdateCapacityConfig {
  requireSurge: boolean;
}

type GroupProps = ReturnType<typeof propsOf>;
const propsOf = (group: PolicyResource) => propsAs(group, gcp.compute.RegionInstanceGroupManager);

/** How many of a group's VMs an update may take out of service at once. */
function maxUnavailableOf(group: PolicyResource, props: GroupProps, size: number): number {
  const policy = props.updatePolicy;
  const percent = policy?.maxUnavailablePercent ?? 0;
  // The provider sends a percentage only when it is above 0, and records 0 beside a fixed value it read back.
  if (percent > 0) return Math.floor((percent * size) / 100);
  const fixed = policy?.maxUnavailableFixed;
  if (!isAbsent(fixed)) return fixed;
  // Unset, the Compute API takes one VM per zone: 1 for a zonal group, the number of zones for a regional one.
  return zonesOf(group, props);
}

/** The zones a group spreads over: one for a zonal group, its distribution zones (or three) for a regional one. */
function zonesOf(group: PolicyResource, props: GroupProps): number {
  if (group.type === T.instanceGroupManager) return 1;
  return props.distributionPolicyZones?.length || 3;
}

export const managedGroupRequiresCapacitySafeUpdate: StackValidationPolicy = {
  name: "gcp-managed-group-requires-capacity-safe-update",
  severity: "medium",
  remediationSteps:
    "Set updatePolicy.maxUnavailableFixed to 0 and maxSurgeFixed to at least one VM per zone of the group.",
  url: "https://cloud.google.com/compute/docs/instance-groups/rolling-out-updates-to-managed-instance-groups",
  description:
    "No single point of failure in front or behind: a rolling update never takes a managed instance group's whole capacity down at once: it may take out fewer VMs than the group has, and with requireSurge it must add new VMs before removing old ones.",
  configSchema: {
    properties: {
      requireSurge: {
        type: "boolean",
        default: false,
        description:
          "Require maxUnavailable 0 (new VMs are created before old ones go), so an update never reduces serving capacity.",
      },
    },
  },
  validateStack: (args, report) => {
    const index = StackIndex.of(args.resources);
    const groups = index.ofType(T.instanceGroupManager, T.regionInstanceGroupManager);
    if (groups.length === 0) args.notApplicable("The stack has no managed instance group.");
    const { requireSurge } = args.getConfig<UpdateCapacityConfig>();
    for (const group of groups) {
      const props = propsOf(group);
      const read = known(() => {
        // An opportunistic update replaces no VM by itself: only VMs recreated for other reasons pick it up.
        if (props.updatePolicy?.type === "OPPORTUNISTIC" || !props.targetSize) return undefined;
        const size = props.targetSize;
        return { size, unavailable: maxUnavailableOf(group, props, size), zones: zonesOf(group, props) };
      });
      if (read === NOT_KNOWN || read === undefined) continue;
      const { size, unavailable, zones } = read;
      const fix =
        `set updatePolicy.maxUnavailableFixed to 0 and maxSurgeFixed to at least ${zones}` +
        (zones > 1 ? ` (its number of zones, the least a regional group accepts)` : "");
      if (unavailable >= size) {
        report(
          `Managed instance group ${quote(group.name)} may take all ${size} of its VMs out of service at once during an ` +
            `update (maxUnavailable ${unavailable}), which takes the site down; ${fix}.`,
          group.urn,
        );
      } else if (requireSurge && unavailable > 0) {
        report(
          `Managed instance group ${quote(group.name)} may take ${unavailable} of its ${size} VMs out of service during an ` +
            `update, and this stack requires updates that never reduce serving capacity; ${fix}.`,
          group.urn,
        );
      }
    }
  },
};
