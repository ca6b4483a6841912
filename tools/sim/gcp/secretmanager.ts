import { str } from "../values";
import { Computed, ResourceContext, iamEtag, projectNumber } from "./common";

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
  const parent = str(ctx.inputs.secret) ?? "";
  const secretId = parent.slice(parent.lastIndexOf("/") + 1);
  const name = `projects/${projectNumber(ctx.project)}/secrets/${secretId}/versions/1`;
  return {
    id: name,
    computed: { name, version: "1", enabled: true, createTime: new Date(ctx.now).toISOString() },
  };
}

/** An IAM member on one secret, with the google provider's ID: secret/role/member. */
export function secretIamMember(ctx: ResourceContext): Computed {
  const secretId = str(ctx.inputs.secretId) ?? "";
  const role = str(ctx.inputs.role) ?? "";
  const member = str(ctx.inputs.member) ?? "";
  return {
    id: `${secretId}/${role}/${member.toLowerCase()}`,
    computed: { project: ctx.project, etag: iamEtag(ctx.entropy) },
  };
}

/** An IAM member on one Artifact Registry repository. */
export function repositoryIamMember(ctx: ResourceContext): Computed {
  const location = str(ctx.inputs.location) ?? ctx.region;
  const repository = str(ctx.inputs.repository) ?? "";
  const role = str(ctx.inputs.role) ?? "";
  const member = str(ctx.inputs.member) ?? "";
  return {
    id: `projects/${ctx.project}/locations/${location}/repositories/${repository}/${role}/${member.toLowerCase()}`,
    computed: { project: ctx.project, location, etag: iamEtag(ctx.entropy) },
  };
}
