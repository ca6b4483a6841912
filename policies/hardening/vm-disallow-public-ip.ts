import { ResourceValidationPolicy } from "@pulumi/policy";
import { checkVms, interfacesWithPublicIp } from "../lib/vm";
import { quote } from "../lib/values";

export const vmDisallowPublicIp: ResourceValidationPolicy = {
  name: "gcp-vm-disallow-public-ip",
  severity: "high",
  remediationSteps:
    "Remove accessConfigs from the VM's network interfaces; reach the internet through Cloud NAT and serve through the load balancer.",
  url: "https://cloud.google.com/nat/docs/overview",
  description:
    "Hardening: VMs and instance templates get no public IP address; the internet reaches them only through the load balancer, and they reach it through Cloud NAT.",
  validateResource: checkVms((vm, kind, args, report) => {
    if (interfacesWithPublicIp(vm).length === 0) return;
    report(
      `${kind} ${quote(args.name)} has a public IP address (an accessConfigs entry on its network interface); ` +
        "remove accessConfigs and let the VM reach the internet through Cloud NAT.",
    );
  }),
};
