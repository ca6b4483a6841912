import * as gcp from "@pulumi/gcp";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { isAbsent, quote } from "../lib/values";

export const networkRequiresCustomSubnetMode: ResourceValidationPolicy = {
  name: "gcp-network-requires-custom-subnet-mode",
  severity: "medium",
  remediationSteps:
    "Set autoCreateSubnetworks: false on the network and create each subnet explicitly; move workloads off a legacy network onto a VPC network.",
  url: "https://cloud.google.com/vpc/docs/create-modify-vpc-networks",
  description:
    "A firewall in front of every server: a VPC network is in custom subnet mode, so each subnet, and the rules " +
    "around it, is one somebody chose. An auto-mode network (what autoCreateSubnetworks defaults to) puts a subnet " +
    "from the same 10.128.0.0/9 plan in every region, reachable through its implied rules and overlapping every other " +
    "auto-mode network, and a legacy network cannot have subnets at all.",
  validateResource: validateResourceOfType(gcp.compute.Network, (network, args, report) => {
    if (network.autoCreateSubnetworks === false) return;
    const why = isAbsent(network.autoCreateSubnetworks)
      ? "leaves autoCreateSubnetworks unset, which makes an auto-mode network"
      : "is an auto-mode network (autoCreateSubnetworks true)";
    report(
      `VPC network ${quote(args.name)} ${why}, with a subnet in every region; set autoCreateSubnetworks to false ` +
        "and create the subnets it needs.",
    );
  }),
};
