import * as gcp from "@pulumi/gcp";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { describeOpenings, isLiveIngressAllow, openings } from "../lib/ingress";
import { GOOGLE_FRONT_END_RANGES, IAP_RANGE, publicSources } from "../lib/sources";
import { joinWords, quote } from "../lib/values";

export interface PublicIngressConfig {
  allowedPublicSources: string[];
}

export const firewallDisallowPublicIngress: ResourceValidationPolicy = {
  name: "gcp-firewall-disallow-public-ingress",
  severity: "high",
  remediationSteps:
    "Limit the rule's sourceRanges to Google's front ends and health checkers (130.211.0.0/22, 35.191.0.0/16) and IAP (35.235.240.0/20), and let the internet in through the load balancer. A public range you own goes in this policy's allowedPublicSources setting.",
  url: "https://cloud.google.com/load-balancing/docs/firewall-rules",
  description:
    "A firewall in front of every server: the internet reaches the servers only through Google's load balancer (and " +
    "its Cloud Armor policy) and IAP, so an ingress rule admits public source ranges only from Google's front ends, " +
    "health checkers and IAP, on any port.",
  configSchema: {
    properties: {
      allowedPublicSources: {
        type: "array",
        items: { type: "string", minLength: 1 },
        default: [...GOOGLE_FRONT_END_RANGES, IAP_RANGE],
        description:
          "Public ranges an ingress rule may admit: Google's front ends and health checkers, and IAP.",
      },
    },
  },
  validateResource: validateResourceOfType(gcp.compute.Firewall, (rule, args, report) => {
    if (!isLiveIngressAllow(rule)) return;
    const { allowedPublicSources } = args.getConfig<PublicIngressConfig>();
    const sources = publicSources(rule, allowedPublicSources);
    if (sources.length === 0) return;

    report(
      `Firewall rule ${quote(args.name)} admits ${joinWords(sources)} from the internet to ${describeOpenings(openings(rule))}, ` +
        "around the load balancer and its Cloud Armor policy; admit only Google's front ends (130.211.0.0/22, " +
        "35.191.0.0/16) and IAP (35.235.240.0/20), or add a range you own to allowedPublicSources.",
    );
  }),
};
