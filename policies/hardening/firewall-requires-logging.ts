import * as gcp from "@pulumi/gcp";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { checkResource } from "../lib/policy";
import { flag, isAbsent, isUnknown, quote } from "../lib/values";

export const firewallRequiresLogging: ResourceValidationPolicy = {
  name: "gcp-firewall-requires-logging",
  severity: "low",
  remediationSteps: "Set logConfig.metadata on the rule (INCLUDE_ALL_METADATA or EXCLUDE_ALL_METADATA).",
  url: "https://cloud.google.com/firewall/docs/firewall-rules-logging",
  description:
    "Hardening: firewall rules log the connections they allow or deny, so an attack leaves a trace.",
  validateResource: checkResource(gcp.compute.Firewall, (firewall, args, report) => {
    if (isUnknown(firewall.logConfig) || isUnknown(firewall.enableLogging)) return;
    if (!isAbsent(firewall.logConfig) || flag(firewall.enableLogging) === true) return;
    report(
      `Firewall rule ${quote(args.name)} does not log; set logConfig { metadata: "INCLUDE_ALL_METADATA" } (or "EXCLUDE_ALL_METADATA").`,
    );
  }),
};
