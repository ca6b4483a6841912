import * as gcp from "@pulumi/gcp";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { describeOpenings, isLiveIngressAllow, openings } from "../lib/ingress";
import { quote } from "../lib/values";

export interface WidePortRangeConfig {
  maxPortsPerRange: number;
}

export const firewallDisallowWidePortRanges: ResourceValidationPolicy = {
  name: "gcp-firewall-disallow-wide-port-ranges",
  severity: "medium",
  remediationSteps:
    "Give each allow entry its protocol and the ports the servers listen on (for example tcp and 443), instead of protocol all, no ports, or a range wider than maxPortsPerRange.",
  url: "https://cloud.google.com/firewall/docs/firewalls",
  description:
    "A firewall in front of every server: an ingress rule names the ports its servers listen on. It may not allow " +
    "every protocol, every port of one, or a port range wider than a limit, from any source, since whatever " +
    "starts listening later is then open without a change anyone reviews.",
  configSchema: {
    properties: {
      maxPortsPerRange: {
        type: "integer",
        minimum: 1,
        maximum: 65535,
        default: 100,
        description: "The most ports one range of an allow rule may span.",
      },
    },
  },
  validateResource: validateResourceOfType(gcp.compute.Firewall, (rule, args, report) => {
    if (!isLiveIngressAllow(rule)) return;
    const { maxPortsPerRange } = args.getConfig<WidePortRangeConfig>();
    const wide = openings(rule)
      .map((o) =>
        o.allPorts ? o : { ...o, ranges: o.ranges.filter((r) => r.to - r.from + 1 > maxPortsPerRange) },
      )
      .filter((o) => o.allPorts || o.ranges.length > 0);
    if (wide.length === 0) return;
    report(
      `Firewall rule ${quote(args.name)} allows ${describeOpenings(wide)}; list only the ports the servers listen on ` +
        `(ranges of at most ${maxPortsPerRange} ports).`,
    );
  }),
};
