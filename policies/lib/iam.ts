/**
 * IAM grants at the project, folder and organization level, read alike from the three ways a stack makes
 * them: one member (IAMMember), one role's member list (IAMBinding, authoritative for the role) or a whole
 * policy document (IAMPolicy's `policyData`, authoritative for the resource).
 */
import * as gcp from "@pulumi/gcp";
import { ResourceValidation, ResourceValidationArgs, ReportViolation } from "@pulumi/policy";
import { checkResource } from "./policy";
import { list, Props, record, text, texts } from "./values";

export interface Grant {
  role: string;
  members: string[];
}

/** Where a grant applies, for messages ("project", "folder", "organization"). */
export type Level = "project" | "folder" | "organization";

function grantsOfPolicyData(policyData: unknown): Grant[] {
  const data = text(policyData);
  if (data === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return []; // the IAM API refuses a policy that is not JSON
  }
  return (list(record(parsed)?.bindings) ?? []).flatMap((entry) => {
    const binding = record<{ role: string; members: string[] }>(entry);
    const role = text(binding?.role);
    return role === undefined ? [] : [{ role, members: texts(binding?.members) }];
  });
}

/** The known grants one IAM resource makes; a role or member list not known yet is left out. */
export function grantsOf(props: Props): Grant[] {
  if ("policyData" in props) return grantsOfPolicyData(props.policyData);
  const role = text(props.role);
  if (role === undefined) return [];
  const members = "members" in props ? texts(props.members) : texts([props.member]);
  return [{ role, members }];
}

type IamCheck = (
  grants: Grant[],
  level: Level,
  props: Props,
  args: ResourceValidationArgs,
  report: ReportViolation,
) => void;

/** One check over every project-, folder- and organization-level IAM resource type. */
export function checkIamGrants(check: IamCheck): ResourceValidation[] {
  const of = (level: Level) => (props: object, args: ResourceValidationArgs, report: ReportViolation) =>
    check(grantsOf(props as Props), level, props as Props, args, report);
  return [
    checkResource(gcp.projects.IAMMember, of("project")),
    checkResource(gcp.projects.IAMBinding, of("project")),
    checkResource(gcp.projects.IAMPolicy, of("project")),
    checkResource(gcp.folder.IAMMember, of("folder")),
    checkResource(gcp.folder.IAMBinding, of("folder")),
    checkResource(gcp.folder.IAMPolicy, of("folder")),
    checkResource(gcp.organizations.IAMMember, of("organization")),
    checkResource(gcp.organizations.IAMBinding, of("organization")),
    checkResource(gcp.organizations.IAMPolicy, of("organization")),
  ];
}
