import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { StackIndex } from "../lib/stack";
import { T } from "../lib/types";
import { isUnknown, num, quote, record, text, texts } from "../lib/values";

export interface UpdateCapacityConfig {
  requireSurge: boolean;
}

/** How many of a group's VMs an update may take out of service at once; undefined when unknown. */
export function maxUnavailableOf(index: StackIndex, group: PolicyResource): number | undefined {
  const props = index.props(group);
  const size = num(props.targetSize);
  const policy = record(props.updatePolicy);
  if (size === undefined || isUnknown(props.updatePolicy)) return undefined;
  const fixed = policy?.maxUnavailableFixed;
  const percent = policy?.maxUnavailablePercent;
  if (isUnknown(fixed) || isUnknown(percent)) return undefined;
  // The provider sends a percentage only when it is above 0, and records 0 beside a fixed value it read back.
  if ((num(percent) ?? 0) > 0) return Math.floor(((num(percent) as number) * size) / 100);
  if (num(fixed) !== undefined) return num(fixed);
  // Unset, the Compute API takes one VM per zone: 1 for a zonal group, the number of zones for a regional one.
  if (group.type === T.instanceGroupManager) return 1;
  if (isUnknown(props.distributionPolicyZones)) return undefined;
  return texts(props.distributionPolicyZones).length || 3;
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
      const props = index.props(group);
      // An opportunistic update replaces no VM by itself: only VMs recreated for other reasons pick it up.
      if (text(record(props.updatePolicy)?.type) === "OPPORTUNISTIC") continue;
      const size = num(props.targetSize);
      const unavailable = maxUnavailableOf(index, group);
      if (size === undefined || size === 0 || unavailable === undefined) continue;
      const zones =
        group.type === T.regionInstanceGroupManager ? texts(props.distributionPolicyZones).length || 3 : 1;
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
