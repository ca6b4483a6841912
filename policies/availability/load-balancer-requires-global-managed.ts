import * as gcp from "@pulumi/gcp";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { checkResource } from "../lib/policy";
import { isAbsent, isUnknown, quote, text } from "../lib/values";

const EXTERNAL_SCHEMES = ["EXTERNAL", "EXTERNAL_MANAGED"];

function schemeOf(value: unknown, fallback: string): string | undefined {
  if (isUnknown(value)) return undefined;
  return text(value)?.toUpperCase() ?? (isAbsent(value) ? fallback : undefined);
}

function shown(value: unknown, scheme: string): string {
  return isAbsent(value)
    ? `no loadBalancingScheme, which means ${scheme}`
    : `loadBalancingScheme "${scheme}"`;
}

export const loadBalancerRequiresGlobalManaged: ResourceValidationPolicy = {
  name: "gcp-load-balancer-requires-global-managed",
  severity: "medium",
  remediationSteps:
    "Set loadBalancingScheme: EXTERNAL_MANAGED on the global forwarding rule and the backend service.",
  url: "https://cloud.google.com/load-balancing/docs/https",
  description:
    "No single point of failure in front or behind: the site's load balancer is Google's global external managed load balancer, served from Google's edge in every region, not a classic or regional one.",
  validateResource: [
    checkResource(gcp.compute.BackendService, (service, args, report) => {
      const scheme = schemeOf(service.loadBalancingScheme, "EXTERNAL");
      if (scheme !== "EXTERNAL") return;
      report(
        `Backend service ${quote(args.name)} belongs to a classic external load balancer (${shown(service.loadBalancingScheme, scheme)}); ` +
          'set loadBalancingScheme to "EXTERNAL_MANAGED" to use the global external managed load balancer.',
      );
    }),
    checkResource(gcp.compute.GlobalForwardingRule, (rule, args, report) => {
      const scheme = schemeOf(rule.loadBalancingScheme, "EXTERNAL");
      const target = text(rule.target);
      if (scheme !== "EXTERNAL" || (target !== undefined && !/target(Http|Https|Ssl|Tcp)Prox/i.test(target)))
        return;
      report(
        `Forwarding rule ${quote(args.name)} belongs to a classic external load balancer (${shown(rule.loadBalancingScheme, scheme)}); ` +
          'set loadBalancingScheme to "EXTERNAL_MANAGED" to use the global external managed load balancer.',
      );
    }),
    checkResource(gcp.compute.RegionBackendService, (service, args, report) => {
      const scheme = schemeOf(service.loadBalancingScheme, "INTERNAL");
      if (scheme === undefined || !EXTERNAL_SCHEMES.includes(scheme)) return;
      report(
        `Backend service ${quote(args.name)} belongs to a regional external load balancer (loadBalancingScheme "${scheme}"), ` +
          'which lives and fails with one region; serve the site through a global BackendService with loadBalancingScheme "EXTERNAL_MANAGED".',
      );
    }),
  ],
};
