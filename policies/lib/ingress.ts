/** Reading firewall rules as the policies need them: which are live ingress allows, and what they open. */
import * as gcp from "@pulumi/gcp";
import { Unwrap } from "@pulumi/pulumi";
import { hasPorts, portRanges, protocolOf } from "./ports";

export type FirewallProps = Unwrap<gcp.compute.FirewallArgs>;

/** An enabled ingress rule that allows something (a rule's direction defaults to INGRESS). */
export function isLiveIngressAllow(rule: FirewallProps): boolean {
  const direction = (rule.direction ?? "INGRESS").toUpperCase();
  return direction === "INGRESS" && rule.disabled !== true && (rule.allows?.length ?? 0) > 0;
}

/** What one allow entry opens, as "tcp:443" or "tcp:8000-8100". */
export interface Opening {
  protocol: string;
  /** Port ranges; empty when the entry opens every port of the protocol (or the protocol has none). */
  ranges: { from: number; to: number; written: string }[];
  /** Whether it opens every port: protocol "all", or a port protocol with no ports listed. */
  allPorts: boolean;
}

/** The openings of a rule's allow entries. */
export function openings(rule: FirewallProps): Opening[] {
  return (rule.allows ?? []).map((allow) => {
    const protocol = protocolOf(allow.protocol);
    const ranges = hasPorts(protocol) ? portRanges(allow.ports) : [];
    const noPorts = (allow.ports?.length ?? 0) === 0;
    return { protocol, ranges, allPorts: protocol === "all" || (hasPorts(protocol) && noPorts) };
  });
}

/** "tcp:443, tcp:8000-8100" or "every port (all)". */
export function describeOpenings(list: readonly Opening[]): string {
  return list
    .map((o) =>
      o.allPorts
        ? o.protocol === "all"
          ? "every port of every protocol"
          : `every ${o.protocol} port`
        : o.ranges.length > 0
          ? o.ranges.map((r) => `${o.protocol}:${r.written}`).join(", ")
          : o.protocol,
    )
    .join(", ");
}
