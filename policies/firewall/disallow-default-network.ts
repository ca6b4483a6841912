import * as gcp from "@pulumi/gcp";
import { ResourceValidationArgs, ReportViolation, ResourceValidationPolicy } from "@pulumi/policy";
import { isDefaultNetworkRef, isDefaultSubnetworkRef } from "../lib/network";
import { checkResource } from "../lib/policy";
import { isAbsent, isUnknown, list, quote, record, text } from "../lib/values";

/** Reports a VM or template with a network interface on the default network (or on none, which means it). */
function checkInterfaces(
  kind: string,
  networkInterfaces: unknown,
  args: ResourceValidationArgs,
  report: ReportViolation,
): void {
  if (isUnknown(networkInterfaces)) return;
  const nics = list(networkInterfaces) ?? [];
  const onDefault =
    nics.length === 0
      ? isAbsent(networkInterfaces) || Array.isArray(networkInterfaces)
      : nics.some((entry) => {
          const nic = record<gcp.types.input.compute.InstanceNetworkInterface>(entry);
          if (!nic) return false;
          const network = text(nic.network);
          const subnetwork = text(nic.subnetwork);
          if (network !== undefined && isDefaultNetworkRef(network)) return true;
          if (subnetwork !== undefined && isDefaultSubnetworkRef(subnetwork)) return true;
          return isAbsent(nic.network) && isAbsent(nic.subnetwork);
        });
  if (onDefault) {
    report(
      `${kind} ${quote(args.name)} is attached to the default network; ` +
        "give every network interface a subnetwork of the stack's own custom-mode VPC instead.",
    );
  }
}

export const disallowDefaultNetwork: ResourceValidationPolicy = {
  name: "gcp-disallow-default-network",
  severity: "medium",
  remediationSteps:
    "Create a custom-mode VPC in the stack and put the VMs and firewall rules on it; delete the project's default network once nothing uses it.",
  url: "https://cloud.google.com/vpc/docs/vpc#default-network",
  description:
    "A firewall in front of every server: VMs and firewall rules must live on the stack's own VPC, never on the project's default network, whose ready-made rules let the internet in.",
  validateResource: [
    checkResource(gcp.compute.Firewall, (firewall, args, report) => {
      const network = text(firewall.network);
      if (network !== undefined && isDefaultNetworkRef(network)) {
        report(
          `Firewall rule ${quote(args.name)} is on the default network; put it on the stack's own VPC network instead.`,
        );
      }
    }),
    checkResource(gcp.compute.Instance, (vm, args, report) =>
      checkInterfaces("VM", vm.networkInterfaces, args, report),
    ),
    checkResource(gcp.compute.InstanceTemplate, (template, args, report) =>
      checkInterfaces("Instance template", template.networkInterfaces, args, report),
    ),
    checkResource(gcp.compute.RegionInstanceTemplate, (template, args, report) =>
      checkInterfaces("Instance template", template.networkInterfaces, args, report),
    ),
  ],
};
