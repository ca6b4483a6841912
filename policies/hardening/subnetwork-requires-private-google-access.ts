import * as gcp from "@pulumi/gcp";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { checkResource } from "../lib/policy";
import { flag, isUnknown, quote } from "../lib/values";
import { carriesVmTraffic } from "./subnetwork-requires-flow-logs";

export const subnetworkRequiresPrivateGoogleAccess: ResourceValidationPolicy = {
  name: "gcp-subnetwork-requires-private-google-access",
  severity: "low",
  remediationSteps: "Set privateIpGoogleAccess: true on the subnet.",
  url: "https://cloud.google.com/vpc/docs/private-google-access",
  description:
    "Hardening: every subnet that carries VM traffic has Private Google Access, so VMs without public IPs reach " +
    "Google's APIs (logging, monitoring, Secret Manager) on Google's network rather than needing an address of their own.",
  validateResource: checkResource(gcp.compute.Subnetwork, (subnet, args, report) => {
    if (isUnknown(subnet.purpose) || !carriesVmTraffic(subnet.purpose)) return;
    if (isUnknown(subnet.privateIpGoogleAccess) || flag(subnet.privateIpGoogleAccess) === true) return;
    report(
      `Subnet ${quote(args.name)} has no Private Google Access, so its VMs reach Google's APIs only through NAT or ` +
        "a public IP; set privateIpGoogleAccess to true.",
    );
  }),
};
