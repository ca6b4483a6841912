import * as gcp from "@pulumi/gcp";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { isAbsent, quote } from "../lib/values";

/** Subnets of these purposes carry no VM traffic and take no flow logs (proxy-only and the like). */
export function carriesVmTraffic(purpose: string | undefined): boolean {
  const value = purpose?.toUpperCase();
  return value === undefined || value === "PRIVATE" || value === "PRIVATE_RFC_1918";
}

export const subnetworkRequiresFlowLogs: ResourceValidationPolicy = {
  name: "gcp-subnetwork-requires-flow-logs",
  severity: "low",
  remediationSteps:
    "Set logConfig on the subnet (for example aggregationInterval INTERVAL_5_SEC, flowSampling 0.5, metadata INCLUDE_ALL_METADATA).",
  url: "https://cloud.google.com/vpc/docs/using-flow-logs",
  description:
    "Hardening: every subnet that carries VM traffic records VPC flow logs (logConfig), so connections to and from " +
    "the servers can be traced after an incident and unexpected ones noticed.",
  validateResource: validateResourceOfType(gcp.compute.Subnetwork, (subnet, args, report) => {
    if (!carriesVmTraffic(subnet.purpose) || !isAbsent(subnet.logConfig)) return;

    report(
      `Subnet ${quote(args.name)} records no VPC flow logs; set logConfig (for example aggregationInterval ` +
        '"INTERVAL_5_SEC", flowSampling 0.5, metadata "INCLUDE_ALL_METADATA").',
    );
  }),
};
