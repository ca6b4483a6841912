import { StackValidationPolicy } from "@pulumi/policy";
import { servesSite } from "../lib/site";
import { StackIndex } from "../lib/stack";
import { T } from "../lib/types";
import { flag, isAbsent, isUnknown, quote, record } from "../lib/values";

export const siteRequiresUptimeCheck: StackValidationPolicy = {
  name: "gcp-site-requires-uptime-check",
  description:
    "Monitoring on every server, and QPS monitoring: a stack that serves a site has an uptime check that requests it over HTTPS from outside.",
  validateStack: (args, report) => {
    const index = StackIndex.of(args.resources);
    if (!servesSite(index)) args.notApplicable("The stack serves no site through a load balancer.");
    const checks = index.ofType(T.uptimeCheckConfig);
    if (checks.length === 0) {
      report(
        "The stack serves a site but has no uptime check; add an UptimeCheckConfig whose httpCheck requests the site's domain with useSsl: true.",
      );
      return;
    }
    const overHttps = checks.some((check) => {
      const httpCheck = index.props(check).httpCheck;
      if (isUnknown(httpCheck)) return true;
      const useSsl = record(httpCheck)?.useSsl;
      return isUnknown(useSsl) || flag(useSsl) === true;
    });
    if (overHttps) return;
    for (const check of checks) {
      const plainHttp = !isAbsent(index.props(check).httpCheck);
      report(
        plainHttp
          ? `Uptime check ${quote(check.name)} requests the site over plain HTTP; set httpCheck.useSsl to true so it checks the HTTPS site users reach.`
          : `Uptime check ${quote(check.name)} does not request the site over HTTPS; give it an httpCheck with useSsl: true on the site's domain.`,
        check.urn,
      );
    }
  },
};
