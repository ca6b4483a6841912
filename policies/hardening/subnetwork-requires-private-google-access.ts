import * as gcp from "@pulumi/gcp";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { quote } from "../lib/values";
import { carriesVmTraffic } from "./subnetwork-requires-flow-logs";

export const subnetworkRequiresPrivateGoogleAccess: ResourceValidationPolicy = {
  name: "gcp-subnetwork-requires-private-google-access",
  severity: "low",
  remediationSteps: "Set privateIpGoogleAccess: true on the subnet.",
  url: "https://cloud.google.com/vpc/docs/private-google-access",
  description:
    "Hardening: every subnet that carries VM traffic has Private Google Access, so VMs without public IPs reach " +
    "Google's APIs (logging, monitoring, Secret Manager) on Google's network rather than needing an address of their own.",
  validateResource: validateResourceOfType(gcp.compute.Subnetwork, (subnet, args, report) => {
    if (!carriesVmTraffic(subnet.purpose) || subnet.privateIpGoogleAccess === true) return;

    report(
      `Subnet ${quote(args.name)} has no Private Google Access, so its VMs reach Google's APIs only through NAT or ` +
        "a public IP; set privateIpGoogleAccess to true.",
    );
  }),
};
