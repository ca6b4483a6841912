import * as gcp from "@pulumi/gcp";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { parseRef, propsAs, StackIndex } from "../lib/stack";
import { T } from "../lib/types";
import { known, NOT_KNOWN } from "../lib/unknowns";
import { joinWords, quote } from "../lib/values";

export interface PoolConfig {
  minZones: number;
  minInstances: number;
}

const GROUP_TYPES = [
  T.instanceGroup,
  T.instanceGroupManager,
  T.regionInstanceGroupManager,
  T.networkEndpointGroup,
  T.globalNetworkEndpointGroup,
  T.regionNetworkEndpointGroup,
];

/** What a backend service's pool of servers looks like. */
interface Pool {
  zones: Set<string>;
  instances: number;
}

/**
 * Adds the zones and server count of one instance group (unmanaged, zonal or regional managed) to the
 * pool; false when they cannot be known from the stack.
 */
function addGroup(index: StackIndex, group: PolicyResource, pool: Pool): boolean {
  if (group.type === T.instanceGroup) {
    const props = propsAs(group, gcp.compute.InstanceGroup);
    const members = index.resolve(group, "instances", () => props.instances, [T.instance]);
    const listed = known(() => props.instances);
    if (!Array.isArray(listed) && members.unknown) return false;
    const count = Array.isArray(listed) ? listed.length : members.found.length;
    pool.instances += count;
    // An empty group keeps no server running in its zone, so it does not count towards the zones spanned.
    if (count === 0) return true;
    const zone = index.zoneOf(group);
    if (zone !== undefined) pool.zones.add(zone);
    else {
      const zones = members.found.map((m) => index.zoneOf(m));
      if (zones.length === 0 || zones.some((z) => z === undefined)) return false;
      for (const z of zones) pool.zones.add(z as string);
    }
    return true;
  }
  if (group.type !== T.instanceGroupManager && group.type !== T.regionInstanceGroupManager) {
    return false; // network endpoint groups: serverless or external backends, not servers of ours.
  }
  const props = propsAs(group, gcp.compute.RegionInstanceGroupManager);
  const size = props.targetSize;
  if (size === undefined) return false;
  pool.instances += size;
  if (size === 0) return true;
  if (group.type === T.instanceGroupManager) {
    const zone = index.zoneOf(group);
    if (zone === undefined) return false;
    pool.zones.add(zone);
    return true;
  }
  // ANY_SINGLE_ZONE puts every VM of the group in one zone of Google's choosing.
  if (props.distributionPolicyTargetShape === "ANY_SINGLE_ZONE") {
    pool.zones.add(`${group.urn}#single-zone`);
    return true;
  }
  // EVEN (the default) fills as many zones as it has VMs for, no two zones more than one VM apart.
  const zones = (props.distributionPolicyZones ?? []).map((z) => parseRef(z).name);
  if (zones.length > 0) for (const z of zones.slice(0, Math.max(size, 1))) pool.zones.add(z);
  // Without an explicit list, a regional group spreads its VMs over the region's zones (three or more).
  else for (let i = 0; i < Math.min(size, 3); i++) pool.zones.add(`${group.urn}#zone-${i}`);
  return true;
}

/**
 * The pool of a backend service, or undefined when some backend cannot be followed. Reading a value
 * unknown during preview throws (see unknowns.ts).
 */
function poolOf(index: StackIndex, service: PolicyResource): Pool | undefined {
  const backends = propsAs(service, gcp.compute.BackendService).backends;
  const pool: Pool = { zones: new Set(), instances: 0 };
  const seen = new Set<PolicyResource>();
  // Without a backends list, the groups may still be given as dependencies (check-policies input).
  for (const backend of backends ?? [{ group: undefined }]) {
    const resolution = index.resolve(service, "backends", () => backend.group, GROUP_TYPES);
    if (resolution.found.length === 0) return undefined;
    for (const group of resolution.found) {
      if (seen.has(group)) continue;
      seen.add(group);
      if (!addGroup(index, group, pool)) return undefined;
    }
  }
  return pool;
}

export const backendPoolRequiresTwoZones: StackValidationPolicy = {
  name: "gcp-backend-pool-requires-two-zones",
  severity: "high",
  remediationSteps:
    "Serve the backend from a regional managed instance group spread over at least two zones (distributionPolicyZones), with a targetSize of at least two, or add groups in other zones.",
  url: "https://cloud.google.com/compute/docs/instance-groups/regional-migs",
  description:
    "No single point of failure in front or behind: the servers behind each backend service span at least two zones and number at least two, so one server or one zone can fail without taking the site down.",
  configSchema: {
    properties: {
      minZones: {
        type: "integer",
        minimum: 1,
        default: 2,
        description: "The fewest zones a backend pool must span.",
      },
      minInstances: {
        type: "integer",
        minimum: 1,
        default: 2,
        description: "The fewest servers a backend pool must have.",
      },
    },
  },
  validateStack: (args, report) => {
    const index = StackIndex.of(args.resources);
    const services = index.ofType(T.backendService, T.regionBackendService);
    if (services.length === 0) args.notApplicable("The stack has no backend service.");
    const { minZones, minInstances } = args.getConfig<PoolConfig>();
    for (const service of services) {
      const backends = known(() => propsAs(service, gcp.compute.BackendService).backends);
      if (backends === undefined && (service.dependencies ?? []).length === 0) {
        report(
          `Backend service ${quote(service.name)} has no backends; add instance groups in at least ${minZones} zones.`,
          service.urn,
        );
        continue;
      }
      const pool = known(() => poolOf(index, service));
      if (pool === NOT_KNOWN || pool === undefined) continue;
      if (pool.instances < minInstances) {
        report(
          `Backend service ${quote(service.name)} has ${pool.instances} server${pool.instances === 1 ? "" : "s"} behind it ` +
            `(at least ${minInstances} required), so one server failing takes the site down; add instances to its instance groups.`,
          service.urn,
        );
      }
      if (pool.instances > 0 && pool.zones.size < minZones) {
        const zones = [...pool.zones].filter((z) => !z.includes("#")).map(quote);
        const where = zones.length > 0 ? `only in ${joinWords(zones)}` : `in ${pool.zones.size} zone`;
        report(
          `Backend service ${quote(service.name)} has its servers ${where} (at least ${minZones} zones required), ` +
            "so one zone going down takes the site down; spread its instance groups over more zones.",
          service.urn,
        );
      }
    }
  },
};
