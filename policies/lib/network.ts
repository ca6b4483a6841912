/** Network facts shared by the firewall, hardening and availability policies. */
import * as gcp from "@pulumi/gcp";
import { PolicyResource } from "@pulumi/policy";
import { parseRef, propsAs, StackIndex } from "./stack";
import { T } from "./types";
import { known, NOT_KNOWN } from "./unknowns";
import { isAbsent } from "./values";

/** True when a network reference names the project's default network (`default`, `.../networks/default`). */
export function isDefaultNetworkRef(ref: string): boolean {
  const parsed = parseRef(ref);
  return parsed.name === "default" && (parsed.collection === undefined || parsed.collection === "networks");
}

/** True when a subnetwork reference names one of the default network's subnets (all named `default`). */
export function isDefaultSubnetworkRef(ref: string): boolean {
  const parsed = parseRef(ref);
  return (
    parsed.name === "default" && (parsed.collection === undefined || parsed.collection === "subnetworks")
  );
}

/** True when a CIDR range is the whole address space (0.0.0.0/0, ::/0). */
export function isWorldRange(range: string): boolean {
  return /\/0$/.test(range.trim());
}

/**
 * A key identifying the network a reference leads to (the network resource's URN when it is in the stack,
 * else its name), or undefined when that cannot be known.
 */
export function networkKeyOf(
  index: StackIndex,
  from: PolicyResource,
  prop: string,
  read: () => unknown,
): string | undefined {
  const resolution = index.resolve(from, prop, read, [T.network]);
  if (resolution.found.length > 0) return resolution.found[0].urn;
  if (resolution.external.length > 0) return `name:${parseRef(resolution.external[0]).name}`;
  return undefined;
}

/** The network key of a VM or template's first network interface (its network, or its subnetwork's). */
export function vmNetworkKey(index: StackIndex, vm: PolicyResource): string | undefined {
  const nic = known(() => propsAs(vm, gcp.compute.Instance).networkInterfaces?.[0]);
  if (nic === NOT_KNOWN || isAbsent(nic)) return undefined;
  const network = known(() => nic.network);
  if (!isAbsent(network)) {
    return networkKeyOf(index, vm, "networkInterfaces", () => nic.network);
  }
  const subnet = index.resolve(vm, "networkInterfaces", () => nic.subnetwork, [T.subnetwork]).found[0];
  if (!subnet) return undefined;
  return networkKeyOf(index, subnet, "network", () => propsAs(subnet, gcp.compute.Subnetwork).network);
}
