import * as gcp from "@pulumi/gcp";
import { StackValidationPolicy } from "@pulumi/policy";
import { propsAs, StackIndex } from "../lib/stack";
import { T } from "../lib/types";
import { known, NOT_KNOWN } from "../lib/unknowns";
import { isAbsent, quote } from "../lib/values";

export const HTTPS_PROXY_TYPES = [T.targetHttpsProxy, T.regionTargetHttpsProxy];
export const HTTP_PROXY_TYPES = [T.targetHttpProxy, T.regionTargetHttpProxy];
export const FORWARDING_RULE_TYPES = [T.globalForwardingRule, T.forwardingRule];
export const URL_MAP_TYPES = [T.urlMap, T.regionUrlMap];

/** True when a forwarding rule's port range includes `port` (or is not set or not known). */
function portRangeIncludes(portRange: string | undefined | null | typeof NOT_KNOWN, port: number): boolean {
  if (isAbsent(portRange) || portRange === NOT_KNOWN) return true;
  const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(portRange);
  if (!match) return false;
  const from = Number(match[1]);
  const to = match[2] !== undefined ? Number(match[2]) : from;
  return from <= port && port <= to;
}

export const siteServedByHttpsProxy: StackValidationPolicy = {
  name: "gcp-site-served-by-https-proxy",
  severity: "high",
  remediationSteps:
    "Serve the site from a TargetHttpsProxy reached by a GlobalForwardingRule with portRange 443.",
  url: "https://cloud.google.com/load-balancing/docs/https",
  description:
    "HTTPS only, one trusted certificate: a stack that serves a site through the load balancer serves it from an HTTPS proxy reached by a forwarding rule on port 443.",
  validateStack: (args, report) => {
    const index = StackIndex.of(args.resources);
    if (!index.has(...URL_MAP_TYPES, ...HTTP_PROXY_TYPES, ...HTTPS_PROXY_TYPES)) {
      args.notApplicable("The stack has no HTTP(S) load balancer.");
    }
    const proxies = index.ofType(...HTTPS_PROXY_TYPES);
    if (proxies.length === 0) {
      report(
        "The stack serves its site through a load balancer without any HTTPS proxy; add a target HTTPS proxy " +
          "with the site's certificate and a forwarding rule on port 443 that points to it.",
      );
      return;
    }
    const reached = new Set<string>();
    for (const rule of index.ofType(...FORWARDING_RULE_TYPES)) {
      const props = propsAs(rule, gcp.compute.GlobalForwardingRule);
      const target = index.resolve(rule, "target", () => props.target, [
        ...HTTPS_PROXY_TYPES,
        ...HTTP_PROXY_TYPES,
      ]);
      if (target.unknown) return;
      if (
        !portRangeIncludes(
          known(() => props.portRange),
          443,
        )
      )
        continue;

      for (const proxy of target.found) {
        if (HTTPS_PROXY_TYPES.includes(proxy.type)) reached.add(proxy.urn);
      }
    }
    if (reached.size > 0) return;
    for (const proxy of proxies) {
      report(
        `HTTPS proxy ${quote(proxy.name)} is reached by no forwarding rule on port 443, so the site is not served over HTTPS; ` +
          'add a global forwarding rule with portRange "443" whose target is this proxy.',
        proxy.urn,
      );
    }
  },
};
