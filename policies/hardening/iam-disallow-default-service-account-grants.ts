import { ResourceValidationPolicy } from "@pulumi/policy";
import { checkIamGrants } from "../lib/iam";
import { joinWords, quote } from "../lib/values";

/**
 * The service accounts Google creates for a project, which every VM or App Engine app uses unless told
 * otherwise: `<number>-compute@developer.gserviceaccount.com` and `<project>@appspot.gserviceaccount.com`.
 */
export function isDefaultServiceAccount(member: string): boolean {
  return /^serviceAccount:(\d+-compute@developer|[a-z][a-z0-9-]*@appspot)\.gserviceaccount\.com$/i.test(
    member.trim(),
  );
}

export const iamDisallowDefaultServiceAccountGrants: ResourceValidationPolicy = {
  name: "gcp-iam-disallow-default-service-account-grants",
  severity: "medium",
  remediationSteps:
    "Grant the role to a dedicated service account instead, and leave the default accounts without roles.",
  url: "https://cloud.google.com/iam/docs/service-account-types",
  description:
    "Hardening: no role is granted to the default Compute Engine or App Engine service account. Any VM or app " +
    "created without a service account of its own runs as it, so a grant to it reaches workloads nobody chose; " +
    "give each workload a dedicated service account and grant to that.",
  validateResource: checkIamGrants((grants, level, args, report) => {
    for (const grant of grants) {
      const defaults = grant.members.filter(isDefaultServiceAccount);
      if (defaults.length === 0) continue;
      report(
        `IAM grant ${quote(args.name)} gives the default service account ${joinWords(defaults)} ${grant.role} on ` +
          `the ${level}; create a dedicated service account for the workload and grant the role to it.`,
      );
    }
  }),
};
