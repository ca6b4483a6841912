import { ResourceValidationPolicy } from "@pulumi/policy";
import { checkVms } from "../lib/vm";
import { metadataFlag, quote } from "../lib/values";

export interface SshKeysConfig {
  requireBoth: boolean;
}

export const vmRequiresOsLoginOrBlockedProjectSshKeys: ResourceValidationPolicy = {
  name: "gcp-vm-requires-os-login-or-blocked-project-ssh-keys",
  severity: "high",
  remediationSteps:
    "Set the metadata keys enable-oslogin and block-project-ssh-keys to TRUE on the VM or its template.",
  url: "https://cloud.google.com/compute/docs/oslogin",
  description:
    "Hardening: SSH to VMs goes through OS Login (IAM-controlled) and ignores project-wide SSH keys, so a key added to the project does not open every server; with requireBoth off, either one is enough.",
  configSchema: {
    properties: {
      requireBoth: {
        type: "boolean",
        default: true,
        description:
          "Require OS Login and blocked project-wide SSH keys both, as the scanners do; off accepts either.",
      },
    },
  },
  validateResource: checkVms((vm, kind, args, report) => {
    const hasOsLogin = metadataFlag(vm.metadata?.["enable-oslogin"]);
    const blocksKeys = metadataFlag(vm.metadata?.["block-project-ssh-keys"]);

    const { requireBoth } = args.getConfig<SshKeysConfig>();
    if (requireBoth && hasOsLogin !== blocksKeys) {
      report(
        hasOsLogin
          ? `${kind} ${quote(args.name)} uses OS Login but still accepts project-wide SSH keys; set metadata "block-project-ssh-keys" to "true".`
          : `${kind} ${quote(args.name)} blocks project-wide SSH keys but does not use OS Login; set metadata "enable-oslogin" to "TRUE".`,
      );
      return;
    }
    if (hasOsLogin || blocksKeys) return;
    report(
      `${kind} ${quote(args.name)} accepts project-wide SSH keys without OS Login; ` +
        'set metadata "enable-oslogin" to "TRUE" (and "block-project-ssh-keys" to "true").',
    );
  }),
};
