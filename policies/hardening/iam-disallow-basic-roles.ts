import { ResourceValidationPolicy } from "@pulumi/policy";
import { checkIamGrants } from "../lib/iam";
import { joinWords, quote } from "../lib/values";

export interface BasicRolesConfig {
  disallowedRoles: string[];
}

export const iamDisallowBasicRoles: ResourceValidationPolicy = {
  name: "gcp-iam-disallow-basic-roles",
  severity: "high",
  remediationSteps:
    "Replace the basic role with predefined or custom roles that grant only what the member needs.",
  url: "https://cloud.google.com/iam/docs/roles-overview",
  description:
    "Hardening: nobody holds a basic role (Owner, Editor) on a project, folder or organization. They grant thousands " +
    "of permissions on every service at once, so one leaked credential reaches everything; grant predefined roles " +
    "for what each member does.",
  configSchema: {
    properties: {
      disallowedRoles: {
        type: "array",
        items: { type: "string", minLength: 1 },
        default: ["roles/owner", "roles/editor"],
        description: "Roles no member may hold at these levels (add roles/viewer to forbid all basic roles).",
      },
    },
  },
  validateResource: checkIamGrants((grants, level, args, report) => {
    const { disallowedRoles } = args.getConfig<BasicRolesConfig>();
    for (const grant of grants) {
      if (!disallowedRoles.includes(grant.role) || grant.members.length === 0) continue;
      report(
        `IAM grant ${quote(args.name)} gives ${joinWords(grant.members)} the basic role ${grant.role} on the ${level}; ` +
          "grant the predefined roles the member's work needs instead.",
      );
    }
  }),
};
