import * as gcp from "@pulumi/gcp";
import {
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  validateResourceOfType,
} from "@pulumi/policy";
import { isDefaultNetworkRef, isDefaultSubnetworkRef } from "../lib/network";
import { checkVms, VmProps } from "../lib/vm";
import { isSet, known, NOT_KNOWN } from "../lib/unknowns";
import { isAbsent, quote } from "../lib/values";

/** A network reference not known until the update names one the stack creates, not the default. */
function isDefault(read: () => string | undefined, isDefaultRef: (ref: string) => boolean): boolean {
  const ref = known(read);
  return ref !== NOT_KNOWN && !isAbsent(ref) && isDefaultRef(ref);
}

/** True when a VM or template has a network interface on the default network (or none, which means it). */
function onDefaultNetwork(vm: VmProps): boolean {
  const nics = vm.networkInterfaces ?? [];
  if (nics.length === 0) return true;
  return nics.some(
    (nic) =>
      isDefault(() => nic.network, isDefaultNetworkRef) ||
      isDefault(() => nic.subnetwork, isDefaultSubnetworkRef) ||
      (!isSet(() => nic.network) && !isSet(() => nic.subnetwork)),
  );
}

function checkInterfaces(
  kind: string,
  vm: VmProps,
  args: ResourceValidationArgs,
  report: ReportViolation,
): void {
  if (onDefaultNetwork(vm)) {
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
    validateResourceOfType(gcp.compute.Firewall, (firewall, args, report) => {
      if (isDefault(() => firewall.network, isDefaultNetworkRef)) {
        report(
          `Firewall rule ${quote(args.name)} is on the default network; put it on the stack's own VPC network instead.`,
        );
      }
    }),
    ...checkVms((vm, kind, args, report) => checkInterfaces(kind, vm, args, report)),
  ],
};
