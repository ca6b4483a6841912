import * as gcp from "@pulumi/gcp";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { isAbsent, quote } from "../lib/values";

export const firewallRequiresLogging: ResourceValidationPolicy = {
  name: "gcp-firewall-requires-logging",
  severity: "low",
  remediationSteps: "Set logConfig.metadata on the rule (INCLUDE_ALL_METADATA or EXCLUDE_ALL_METADATA).",
  url: "https://cloud.google.com/firewall/docs/firewall-rules-logging",
  description:
    "Hardening: firewall rules log the connections they allow or deny, so an attack leaves a trace.",
  validateResource: validateResourceOfType(gcp.compute.Firewall, (firewall, args, report) => {
    if (!isAbsent(firewall.logConfig) || firewall.enableLogging === true) return;

    report(
      `Firewall rule ${quote(args.name)} does not log; set logConfig { metadata: "INCLUDE_ALL_METADATA" } (or "EXCLUDE_ALL_METADATA").`,
    );
  }),
};
