import * as gcp from "@pulumi/gcp";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { isWorldRange } from "../lib/network";
import { checkResource } from "../lib/policy";
import { describePort, hasPorts, portRanges, protocolOf } from "../lib/ports";
import { flag, isAbsent, isUnknown, joinWords, list, quote, record, text, texts } from "../lib/values";

export interface SensitivePortsConfig {
  sensitivePorts: number[];
}

export const DEFAULT_SENSITIVE_PORTS = [22, 3389, 3306, 5432, 1433, 6379, 27017];

/** The source of an ingress rule when it is the whole internet, else undefined (or when unknowable). */
function worldSource(firewall: {
  sourceRanges?: unknown;
  sourceTags?: unknown;
  sourceServiceAccounts?: unknown;
}): string | undefined {
  const world = texts(firewall.sourceRanges).find(isWorldRange);
  if (world !== undefined) return world;
  const sources = [firewall.sourceRanges, firewall.sourceTags, firewall.sourceServiceAccounts];
  if (sources.some(isUnknown)) return undefined;
  const noSource = sources.every((s) => isAbsent(s) || (list(s)?.length ?? 0) === 0);
  return noSource ? "no source ranges, tags or service accounts, which means 0.0.0.0/0" : undefined;
}

export const firewallDisallowWorldIngressToSensitivePorts: ResourceValidationPolicy = {
  name: "gcp-firewall-disallow-world-ingress-to-sensitive-ports",
  description:
    "A firewall in front of every server: no ingress rule may open SSH, RDP, database ports (over TCP, UDP or SCTP) or every port to the whole internet.",
  configSchema: {
    properties: {
      sensitivePorts: {
        type: "array",
        items: { type: "integer", minimum: 1, maximum: 65535 },
        default: DEFAULT_SENSITIVE_PORTS,
        description: "Ports (TCP, UDP or SCTP) that must never be reachable from 0.0.0.0/0 or ::/0.",
      },
    },
  },
  validateResource: checkResource(gcp.compute.Firewall, (firewall, args, report) => {
    const direction =
      text(firewall.direction)?.toUpperCase() ?? (isAbsent(firewall.direction) ? "INGRESS" : "");
    if (direction !== "INGRESS" || flag(firewall.disabled) === true) return;
    const source = worldSource(firewall);
    if (source === undefined) return;
    const { sensitivePorts } = args.getConfig<SensitivePortsConfig>();
    const exposed: string[] = [];
    for (const entry of list(firewall.allows) ?? []) {
      const allow = record<gcp.types.input.compute.FirewallAllow>(entry);
      const protocol = protocolOf(allow?.protocol);
      if (!allow || protocol === undefined) continue;
      if (protocol === "all") {
        exposed.push('every port of every protocol (protocol "all")');
        continue;
      }
      if (!hasPorts(protocol) || isUnknown(allow.ports)) continue;
      const ranges = portRanges(allow.ports);
      if (ranges.length === 0 && (list(allow.ports)?.length ?? 0) === 0) {
        exposed.push(`every ${protocol} port (no ports listed)`);
        continue;
      }
      // UDP and SCTP are checked against the same ports: RDP, for one, also listens on 3389/udp.
      for (const range of ranges) {
        const hit = sensitivePorts.filter((port) => port >= range.from && port <= range.to);
        if (hit.length === 0) continue;
        exposed.push(
          range.from === range.to
            ? `${protocol} port ${describePort(range.from)}`
            : `${protocol} ports ${range.written}, which include ${joinWords(hit.map(describePort))}`,
        );
      }
    }
    if (exposed.length === 0) return;
    report(
      `Firewall rule ${quote(args.name)} lets anyone on the internet (${source}) reach ${joinWords(exposed)}; ` +
        "allow only the source ranges that need it (for example 35.235.240.0/20 for SSH through IAP) or remove the rule.",
    );
  }),
};
