import { Props, str } from "../values";
import { Computed, ResourceContext } from "./common";

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

/**
 * An IAM member on `resource`, with the google provider's ID: `<resource>/<role>/<member>`, the member
 * lowercased, and the etag of the resource's policy, as the IAM API formats it (`BwY…`).
 */
export function iamMember(ctx: ResourceContext, resource: string, extra: Props = {}): Computed {
  const member = str(ctx.inputs.member) ?? "";
  return {
    id: `${resource}/${str(ctx.inputs.role) ?? ""}/${member.toLowerCase()}`,
    computed: { project: ctx.project, etag: `BwY${ctx.entropy.base64(8, "etag").slice(3)}`, ...extra },
  };
}

export function projectIamMember(ctx: ResourceContext): Computed {
  return iamMember(ctx, ctx.project);
}
