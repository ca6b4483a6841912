import * as gcp from "@pulumi/gcp";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { checkVms } from "../lib/vm";
import { isAbsent, isUnknown, quote, record, text, texts } from "../lib/values";

const BROAD_SCOPES = ["cloud-platform", "https://www.googleapis.com/auth/cloud-platform"];

/** True for the project's default compute service account (also what an unset email means). */
export function isDefaultComputeServiceAccount(email: string | undefined): boolean {
  return (
    email === undefined || email === "default" || /-compute@developer\.gserviceaccount\.com$/.test(email)
  );
}

export const vmDisallowDefaultServiceAccountBroadScopes: ResourceValidationPolicy = {
  name: "gcp-vm-disallow-default-service-account-broad-scopes",
  description:
    "Hardening: VMs do not run as the project's default compute service account with the cloud-platform scope, which would hand every server editor rights on the project; they use a dedicated account with only the roles they need.",
  validateResource: checkVms((vm, kind, args, report) => {
    const account = record<gcp.types.input.compute.InstanceServiceAccount>(vm.serviceAccount);
    if (!account || isUnknown(account.email) || isUnknown(account.scopes)) return;
    const email = isAbsent(account.email) ? undefined : text(account.email);
    if (!isDefaultComputeServiceAccount(email)) return;
    if (!texts(account.scopes).some((scope) => BROAD_SCOPES.includes(scope))) return;
    report(
      `${kind} ${quote(args.name)} runs as the default compute service account with the cloud-platform scope; ` +
        "give it a dedicated service account (serviceAccount.email) granted only the roles it needs.",
    );
  }),
};
