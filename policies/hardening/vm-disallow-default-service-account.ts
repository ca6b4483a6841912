import { ResourceValidationPolicy } from "@pulumi/policy";
import { checkVms } from "../lib/vm";
import { known, NOT_KNOWN } from "../lib/unknowns";
import { quote } from "../lib/values";

const BROAD_SCOPES = ["cloud-platform", "https://www.googleapis.com/auth/cloud-platform"];

/** True for the project's default compute service account (also what an unset email means). */
export function isDefaultComputeServiceAccount(email: string | undefined): boolean {
  return (
    email === undefined || email === "default" || /-compute@developer\.gserviceaccount\.com$/.test(email)
  );
}

export const vmDisallowDefaultServiceAccount: ResourceValidationPolicy = {
  name: "gcp-vm-disallow-default-service-account",
  severity: "high",
  remediationSteps:
    "Create a ServiceAccount for the tier, grant it only the roles it needs (the web tier: roles/logging.logWriter and roles/monitoring.metricWriter) and set it as serviceAccount.email.",
  url: "https://cloud.google.com/compute/docs/access/create-enable-service-accounts-for-instances",
  description:
    "Hardening: VMs do not run as the project's default compute service account, whatever their scopes. It is " +
    "shared by every VM made without an account of its own and often holds Editor, so scopes are all that stands " +
    "between a compromised server and the project; each tier gets a dedicated account with only the roles it needs.",
  validateResource: checkVms((vm, kind, args, report) => {
    const account = vm.serviceAccount;
    // An email not known until the update is that of an account the stack creates, not the default one.
    const email = known(() => account?.email ?? undefined);
    if (!account || email === NOT_KNOWN || !isDefaultComputeServiceAccount(email)) return;

    const broad = account.scopes.some((scope) => BROAD_SCOPES.includes(scope));

    report(
      `${kind} ${quote(args.name)} runs as the default compute service account` +
        (broad ? " with the cloud-platform scope, which hands it every role the account holds" : "") +
        "; give it a dedicated service account (serviceAccount.email) granted only the roles it needs.",
    );
  }),
};
