import { str } from "../values";
import { Computed, ResourceContext, lastPathSegment, projectNumber } from "./common";
import { iamMember } from "./iam";

/** A Secret Manager secret: the provider's ID uses the project ID, the API's `name` the project number. */
export function secret(ctx: ResourceContext): Computed {
  const secretId = str(ctx.inputs.secretId) ?? ctx.logicalName;
  return {
    id: `projects/${ctx.project}/secrets/${secretId}`,
    computed: {
      project: ctx.project,
      name: `projects/${projectNumber(ctx.project)}/secrets/${secretId}`,
      createTime: new Date(ctx.now).toISOString(),
    },
  };
}

/** A secret's first version. Its data stays as given (the caller keeps it secret). */
export function secretVersion(ctx: ResourceContext): Computed {
  const secretId = lastPathSegment(str(ctx.inputs.secret) ?? "");
  const name = `projects/${projectNumber(ctx.project)}/secrets/${secretId}/versions/1`;
  return {
    id: name,
    computed: { name, version: "1", enabled: true, createTime: new Date(ctx.now).toISOString() },
  };
}

/** An IAM member on one secret. */
export function secretIamMember(ctx: ResourceContext): Computed {
  return iamMember(ctx, str(ctx.inputs.secretId) ?? "");
}

/** An IAM member on one Artifact Registry repository. */
export function repositoryIamMember(ctx: ResourceContext): Computed {
  const location = str(ctx.inputs.location) ?? ctx.region;
  const repository = str(ctx.inputs.repository) ?? "";
  return iamMember(ctx, `projects/${ctx.project}/locations/${location}/repositories/${repository}`, {
    location,
  });
}
