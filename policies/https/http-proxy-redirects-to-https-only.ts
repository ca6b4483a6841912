import * as gcp from "@pulumi/gcp";
import { StackValidationPolicy } from "@pulumi/policy";
import { OutputsOf, propsAs, StackIndex } from "../lib/stack";
import { known } from "../lib/unknowns";
import { isAbsent, quote } from "../lib/values";
import { HTTP_PROXY_TYPES, URL_MAP_TYPES } from "./site-served-by-https-proxy";

/** Whether a URL map does nothing but redirect to HTTPS. */
function redirectsToHttpsOnly(
  map: Pick<
    OutputsOf<gcp.compute.URLMap>,
    "defaultUrlRedirect" | "defaultService" | "defaultRouteAction" | "pathMatchers" | "hostRules"
  >,
): boolean {
  const servesSomething =
    !isAbsent(map.defaultService) ||
    !isAbsent(map.defaultRouteAction) ||
    (map.pathMatchers?.length ?? 0) > 0 ||
    (map.hostRules?.length ?? 0) > 0;
  return map.defaultUrlRedirect?.httpsRedirect === true && !servesSomething;
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
      const read = () => propsAs(proxy, gcp.compute.TargetHttpProxy).urlMap;
      const map = index.resolve(proxy, "urlMap", read, URL_MAP_TYPES).found[0];
      // A URL map not known until the update may be the redirect.
      if (!map || known(() => redirectsToHttpsOnly(propsAs(map, gcp.compute.URLMap))) !== false) continue;
      report(
        `HTTP proxy ${quote(proxy.name)} serves plain HTTP through URL map ${quote(map.name)}, which does more than redirect to HTTPS; ` +
          "point it at a URL map whose only rule is defaultUrlRedirect { httpsRedirect: true }.",
        proxy.urn,
      );
    }
  },
};
