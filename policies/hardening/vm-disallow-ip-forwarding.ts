import { ResourceValidationPolicy } from "@pulumi/policy";
import { checkVms } from "../lib/vm";
import { quote } from "../lib/values";

export const vmDisallowIpForwarding: ResourceValidationPolicy = {
  name: "gcp-vm-disallow-ip-forwarding",
  severity: "medium",
  remediationSteps: "Set canIpForward: false on the VM or its template.",
  url: "https://cloud.google.com/vpc/docs/using-routes",
  description:
    "Hardening: VMs do not forward IP packets for other addresses; a web server is not a router and should not be able to become one.",
  validateResource: checkVms((vm, kind, args, report) => {
    if (vm.canIpForward !== true) return;

    report(`${kind} ${quote(args.name)} can forward IP packets; set canIpForward to false.`);
  }),
};
