import * as gcp from "@pulumi/gcp";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { IAP_RANGE, publicSources } from "../lib/sources";
import { isLiveIngressAllow } from "../lib/ingress";
import { describePort, hasPorts, portRanges, protocolOf } from "../lib/ports";
import { joinWords, quote } from "../lib/values";

export interface SensitivePortsConfig {
  sensitivePorts: number[];
  trustedSourceRanges: string[];
}

export const DEFAULT_SENSITIVE_PORTS = [22, 3389, 3306, 5432, 1433, 6379, 27017];

export const firewallDisallowWorldIngressToSensitivePorts: ResourceValidationPolicy = {
  name: "gcp-firewall-disallow-world-ingress-to-sensitive-ports",
  severity: "critical",
  remediationSteps:
    "Remove the public ranges from the rule's sourceRanges for these ports. Reach SSH and RDP through IAP TCP forwarding (source 35.235.240.0/20), and the database over private IP from the web tier only.",
  url: "https://cloud.google.com/iap/docs/using-tcp-forwarding",
  description:
    "A firewall in front of every server: no ingress rule may open SSH, RDP, database ports (over TCP, UDP or SCTP) or every port to the internet: to any public source range, whatever its prefix or however it is split, other than IAP's.",
  configSchema: {
    properties: {
      sensitivePorts: {
        type: "array",
        items: { type: "integer", minimum: 1, maximum: 65535 },
        default: DEFAULT_SENSITIVE_PORTS,
        description: "Ports (TCP, UDP or SCTP) that must never be reachable from a public source range.",
      },
      trustedSourceRanges: {
        type: "array",
        items: { type: "string", minLength: 1 },
        default: [IAP_RANGE],
        description:
          "Public ranges that may reach those ports anyway: IAP's TCP forwarding range, and any bastion or VPN egress of your own.",
      },
    },
  },
  validateResource: validateResourceOfType(gcp.compute.Firewall, (firewall, args, report) => {
    if (!isLiveIngressAllow(firewall)) return;
    const { sensitivePorts, trustedSourceRanges } = args.getConfig<SensitivePortsConfig>();
    const sources = publicSources(firewall, trustedSourceRanges);
    if (sources.length === 0) return;
    const source =
      (firewall.sourceRanges?.length ?? 0) === 0
        ? "no source ranges, tags or service accounts, which means 0.0.0.0/0"
        : joinWords(sources);
    const exposed: string[] = [];
    for (const allow of firewall.allows ?? []) {
      const protocol = protocolOf(allow.protocol);
      if (protocol === "all") {
        exposed.push('every port of every protocol (protocol "all")');
        continue;
      }
      if (!hasPorts(protocol)) continue;
      const ranges = portRanges(allow.ports);
      if (ranges.length === 0 && (allow.ports?.length ?? 0) === 0) {
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
