import { str } from "../values";
import { Computed, ResourceContext, iamEtag } from "./common";

export function serviceAccount(ctx: ResourceContext): Computed {
  const accountId = str(ctx.inputs.accountId) ?? ctx.logicalName;
  const email = `${accountId}@${ctx.project}.iam.gserviceaccount.com`;
  const name = `projects/${ctx.project}/serviceAccounts/${email}`;
  return {
    id: name,
    computed: {
      accountId,
      project: ctx.project,
      email,
      name,
      uniqueId: ctx.entropy.digits(21, "uniqueId"),
      member: `serviceAccount:${email}`,
      disabled: false,
    },
  };
}

export function projectIamMember(ctx: ResourceContext): Computed {
  const role = str(ctx.inputs.role) ?? "roles/viewer";
  const member = str(ctx.inputs.member) ?? "";
  return {
    // The google provider's ID for a project IAM member: project/role/member, member lowercased.
    id: `${ctx.project}/${role}/${member.toLowerCase()}`,
    computed: { project: ctx.project, etag: iamEtag(ctx.entropy) },
  };
}
