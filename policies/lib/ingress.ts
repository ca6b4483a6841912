/** Reading firewall rules as the policies need them: which are live ingress allows, and what they open. */
import * as gcp from "@pulumi/gcp";
import { hasPorts, portRanges, protocolOf } from "./ports";
import { flag, isAbsent, isUnknown, list, Loose, record, text } from "./values";

export type FirewallProps = Loose<gcp.compute.FirewallArgs>;

/** An enabled ingress rule that allows something (a rule's direction defaults to INGRESS). */
export function isLiveIngressAllow(rule: FirewallProps): boolean {
  const direction = text(rule.direction)?.toUpperCase() ?? (isAbsent(rule.direction) ? "INGRESS" : "");
  return direction === "INGRESS" && flag(rule.disabled) !== true && (list(rule.allows)?.length ?? 0) > 0;
}

/** What one allow entry opens, as "tcp:443" or "tcp:8000-8100"; undefined while unknown. */
export interface Opening {
  protocol: string;
  /** Port ranges; empty when the entry opens every port of the protocol (or the protocol has none). */
  ranges: { from: number; to: number; written: string }[];
  /** Whether it opens every port: protocol "all", or a port protocol with no ports listed. */
  allPorts: boolean;
}

/** The openings of a rule's allow entries; entries not known yet during preview are left out. */
export function openings(rule: FirewallProps): Opening[] {
  const out: Opening[] = [];
  for (const entry of list(rule.allows) ?? []) {
    const allow = record<gcp.types.input.compute.FirewallAllow>(entry);
    const protocol = protocolOf(allow?.protocol);
    if (!allow || protocol === undefined || isUnknown(allow.ports)) continue;
    const ranges = hasPorts(protocol) ? portRanges(allow.ports) : [];
    const noPorts = (list(allow.ports)?.length ?? 0) === 0;
    out.push({ protocol, ranges, allPorts: protocol === "all" || (hasPorts(protocol) && noPorts) });
  }
  return out;
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
