import { StackValidationPolicy } from "@pulumi/policy";
import { StackIndex } from "../lib/stack";
import { isAbsent, isUnknown, list, Props, quote, record, flag } from "../lib/values";
import { HTTP_PROXY_TYPES, URL_MAP_TYPES } from "./site-served-by-https-proxy";

/** Whether a URL map does nothing but redirect to HTTPS: "yes", "no", or "unknown" during preview. */
export function redirectsToHttpsOnly(map: Props): "yes" | "no" | "unknown" {
  const fields = [
    map.defaultUrlRedirect,
    map.defaultService,
    map.defaultRouteAction,
    map.pathMatchers,
    map.hostRules,
  ];
  if (fields.some(isUnknown)) return "unknown";
  const redirect = record(map.defaultUrlRedirect);
  if (!redirect) return "no";
  if (isUnknown(redirect.httpsRedirect)) return "unknown";
  const servesSomething =
    !isAbsent(map.defaultService) ||
    !isAbsent(map.defaultRouteAction) ||
    (list(map.pathMatchers)?.length ?? 0) > 0 ||
    (list(map.hostRules)?.length ?? 0) > 0;
  return flag(redirect.httpsRedirect) === true && !servesSomething ? "yes" : "no";
}

export const httpProxyRedirectsToHttpsOnly: StackValidationPolicy = {
  name: "gcp-http-proxy-redirects-to-https-only",
  severity: "high",
  remediationSteps:
    "Point the HTTP proxy at a URL map whose only rule is a defaultUrlRedirect with httpsRedirect: true, with no backend service or path matcher.",
  url: "https://cloud.google.com/load-balancing/docs/https/setting-up-global-http-https-redirect",
  description:
    "HTTPS only, one trusted certificate: anything served over plain HTTP (port 80) only redirects to HTTPS, through a URL map whose sole rule is an HTTPS redirect.",
  validateStack: (args, report) => {
    const index = StackIndex.of(args.resources);
    const proxies = index.ofType(...HTTP_PROXY_TYPES);
    if (proxies.length === 0) args.notApplicable("The stack has no HTTP proxy.");
    for (const proxy of proxies) {
      const map = index.resolve(proxy, "urlMap", index.props(proxy).urlMap, URL_MAP_TYPES).found[0];
      if (!map || redirectsToHttpsOnly(index.props(map)) !== "no") continue;
      report(
        `HTTP proxy ${quote(proxy.name)} serves plain HTTP through URL map ${quote(map.name)}, which does more than redirect to HTTPS; ` +
          "point it at a URL map whose only rule is defaultUrlRedirect { httpsRedirect: true }.",
        proxy.urn,
      );
    }
  },
};
