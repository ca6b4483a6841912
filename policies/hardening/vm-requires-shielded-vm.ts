import { ResourceValidationPolicy } from "@pulumi/policy";
import { checkVms } from "../lib/vm";
import { joinWords, quote } from "../lib/values";

export const vmRequiresShieldedVm: ResourceValidationPolicy = {
  name: "gcp-vm-requires-shielded-vm",
  severity: "medium",
  remediationSteps:
    "Set enableSecureBoot, enableVtpm and enableIntegrityMonitoring to true in shieldedInstanceConfig, on an image that supports Shielded VM.",
  url: "https://cloud.google.com/compute/shielded-vm/docs/shielded-vm",
  description:
    "Hardening: VMs run as Shielded VMs, with Secure Boot, vTPM and integrity monitoring on, so a tampered boot chain is refused or noticed.",
  validateResource: checkVms((vm, kind, args, report) => {
    const config = vm.shieldedInstanceConfig;
    const off: string[] = [];
    // Secure Boot is off unless asked for; vTPM and integrity monitoring are on unless turned off.
    if (config?.enableSecureBoot !== true) off.push("enableSecureBoot");
    if (config?.enableVtpm === false) off.push("enableVtpm");
    if (config?.enableIntegrityMonitoring === false) off.push("enableIntegrityMonitoring");

    if (off.length === 0) return;
    report(
      `${kind} ${quote(args.name)} is not a fully Shielded VM; set shieldedInstanceConfig.${joinWords(off)} to true.`,
    );
  }),
};
