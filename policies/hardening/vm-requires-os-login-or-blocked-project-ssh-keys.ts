import { ResourceValidationPolicy } from "@pulumi/policy";
import { checkVms } from "../lib/vm";
import { isUnknown, metadataFlag, quote, record } from "../lib/values";

export const vmRequiresOsLoginOrBlockedProjectSshKeys: ResourceValidationPolicy = {
  name: "gcp-vm-requires-os-login-or-blocked-project-ssh-keys",
  description:
    "Hardening: SSH to VMs goes through OS Login (IAM-controlled) or at least ignores project-wide SSH keys, so a key added to the project does not open every server.",
  validateResource: checkVms((vm, kind, args, report) => {
    if (isUnknown(vm.metadata)) return;
    const metadata = record(vm.metadata) ?? {};
    const osLogin = metadata["enable-oslogin"];
    const blockKeys = metadata["block-project-ssh-keys"];
    if (isUnknown(osLogin) || isUnknown(blockKeys)) return;
    if (metadataFlag(osLogin) === true || metadataFlag(blockKeys) === true) return;
    report(
      `${kind} ${quote(args.name)} accepts project-wide SSH keys without OS Login; ` +
        'set metadata "enable-oslogin" to "TRUE" (and "block-project-ssh-keys" to "true").',
    );
  }),
};
