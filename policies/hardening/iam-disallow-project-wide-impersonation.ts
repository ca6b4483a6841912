import { ResourceValidationPolicy } from "@pulumi/policy";
import { checkIamGrants } from "../lib/iam";
import { joinWords, quote } from "../lib/values";

/** Roles that let a member act as a service account (attach it, or mint its tokens). */
export const IMPERSONATION_ROLES = ["roles/iam.serviceAccountUser", "roles/iam.serviceAccountTokenCreator"];

export const iamDisallowProjectWideImpersonation: ResourceValidationPolicy = {
  name: "gcp-iam-disallow-project-wide-impersonation",
  severity: "high",
  remediationSteps:
    "Grant Service Account User or Token Creator on the one service account the member must act as (gcp.serviceaccount.IAMMember), not on the project, folder or organization.",
  url: "https://cloud.google.com/iam/docs/best-practices-service-accounts",
  description:
    "Hardening: Service Account User and Service Account Token Creator are granted on the service accounts a " +
    "member needs, never on a project, folder or organization, where they let the member act as every service " +
    "account in it, including the most privileged.",
  validateResource: checkIamGrants((grants, level, args, report) => {
    for (const grant of grants) {
      if (!IMPERSONATION_ROLES.includes(grant.role) || grant.members.length === 0) continue;
      report(
        `IAM grant ${quote(args.name)} gives ${joinWords(grant.members)} ${grant.role} on the whole ${level}, so they ` +
          "can act as any service account in it; grant the role on the one service account they need " +
          "(gcp.serviceaccount.IAMMember).",
      );
    }
  }),
};
