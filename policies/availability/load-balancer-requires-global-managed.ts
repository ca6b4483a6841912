import * as gcp from "@pulumi/gcp";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { isAbsent, quote } from "../lib/values";

const EXTERNAL_SCHEMES = ["EXTERNAL", "EXTERNAL_MANAGED"];

function schemeOf(value: string | undefined, fallback: string): string {
  return (value ?? fallback).toUpperCase();
}

function shown(value: string | undefined, scheme: string): string {
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
    validateResourceOfType(gcp.compute.BackendService, (service, args, report) => {
      const scheme = schemeOf(service.loadBalancingScheme, "EXTERNAL");
      if (scheme !== "EXTERNAL") return;
      report(
        `Backend service ${quote(args.name)} belongs to a classic external load balancer (${shown(service.loadBalancingScheme, scheme)}); ` +
          'set loadBalancingScheme to "EXTERNAL_MANAGED" to use the global external managed load balancer.',
      );
    }),
    validateResourceOfType(gcp.compute.GlobalForwardingRule, (rule, args, report) => {
      const scheme = schemeOf(rule.loadBalancingScheme, "EXTERNAL");
      if (scheme !== "EXTERNAL") return;
      if (!isAbsent(rule.target) && !/target(Http|Https|Ssl|Tcp)Prox/i.test(rule.target)) return;

      report(
        `Forwarding rule ${quote(args.name)} belongs to a classic external load balancer (${shown(rule.loadBalancingScheme, scheme)}); ` +
          'set loadBalancingScheme to "EXTERNAL_MANAGED" to use the global external managed load balancer.',
      );
    }),
    validateResourceOfType(gcp.compute.RegionBackendService, (service, args, report) => {
      const scheme = schemeOf(service.loadBalancingScheme, "INTERNAL");
      if (!EXTERNAL_SCHEMES.includes(scheme)) return;

      report(
        `Backend service ${quote(args.name)} belongs to a regional external load balancer (loadBalancingScheme "${scheme}"), ` +
          'which lives and fails with one region; serve the site through a global BackendService with loadBalancingScheme "EXTERNAL_MANAGED".',
      );
    }),
  ],
};
