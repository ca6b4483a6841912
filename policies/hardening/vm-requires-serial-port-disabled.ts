import { ResourceValidationPolicy } from "@pulumi/policy";
import { checkVms } from "../lib/vm";
import { metadataFlag, quote } from "../lib/values";

export const vmRequiresSerialPortDisabled: ResourceValidationPolicy = {
  name: "gcp-vm-requires-serial-port-disabled",
  severity: "medium",
  remediationSteps: "Remove serial-port-enable from the VM's metadata, or set it to FALSE.",
  url: "https://cloud.google.com/compute/docs/troubleshooting/troubleshooting-using-serial-console",
  description:
    "Hardening: the interactive serial console stays off on VMs, since it is reachable outside the firewall rules.",
  validateResource: checkVms((vm, kind, args, report) => {
    if (!metadataFlag(vm.metadata?.["serial-port-enable"])) return;

    report(
      `${kind} ${quote(args.name)} enables the interactive serial console; set metadata "serial-port-enable" to "false".`,
    );
  }),
};
