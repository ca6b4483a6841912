/** Network facts shared by the firewall, hardening and availability policies. */
import { PolicyResource } from "@pulumi/policy";
import { StackIndex, parseRef } from "./stack";
import { T } from "./types";
import { list, record } from "./values";

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
  value: unknown,
): string | undefined {
  const resolution = index.resolve(from, prop, value, [T.network]);
  if (resolution.found.length > 0) return resolution.found[0].urn;
  if (resolution.external.length > 0) return `name:${parseRef(resolution.external[0]).name}`;
  return undefined;
}

/** The network key of a VM or template's first network interface (its network, or its subnetwork's). */
export function vmNetworkKey(index: StackIndex, vm: PolicyResource): string | undefined {
  const nic = record(list(index.props(vm).networkInterfaces)?.[0]);
  if (!nic) return undefined;
  if (nic.network !== undefined && nic.network !== null) {
    return networkKeyOf(index, vm, "networkInterfaces", nic.network);
  }
  const subnet = index.resolve(vm, "networkInterfaces", nic.subnetwork, [T.subnetwork]).found[0];
  if (!subnet) return undefined;
  return networkKeyOf(index, subnet, "network", index.props(subnet).network);
}
