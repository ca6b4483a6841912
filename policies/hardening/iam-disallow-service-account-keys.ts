import * as gcp from "@pulumi/gcp";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { known, NOT_KNOWN } from "../lib/unknowns";
import { isAbsent, quote } from "../lib/values";

export const iamDisallowServiceAccountKeys: ResourceValidationPolicy = {
  name: "gcp-iam-disallow-service-account-keys",
  severity: "high",
  remediationSteps:
    "Delete the key; let the workload use its attached service account, Workload Identity Federation or impersonation instead.",
  url: "https://cloud.google.com/iam/docs/best-practices-for-managing-service-account-keys",
  description:
    "Hardening: no user-managed service account key. A key is a long-lived credential that works from anywhere " +
    "until someone deletes it, and its private half lands in the stack's state; workloads on Google Cloud use " +
    "their attached service account, and others Workload Identity Federation.",
  validateResource: validateResourceOfType(gcp.serviceaccount.Key, (key, args, report) => {
    // The key is the finding whatever its account, which is often not known until the account exists.
    const account = known(() => key.serviceAccountId);
    report(
      `Service account key ${quote(args.name)}${account === NOT_KNOWN || isAbsent(account) ? "" : ` for ${account}`} is a user-managed key; remove it, ` +
        "and let the workload use its attached service account or Workload Identity Federation.",
    );
  }),
};
