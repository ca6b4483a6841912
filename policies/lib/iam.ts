/**
 * IAM grants at the project, folder and organization level, read alike from the three ways a stack makes
 * them: one member (IAMMember), one role's member list (IAMBinding, authoritative for the role) or a whole
 * policy document (IAMPolicy's `policyData`, authoritative for the resource).
 */
import * as gcp from "@pulumi/gcp";
import {
  ReportViolation,
  ResourceValidation,
  ResourceValidationArgs,
  validateResourceOfType,
} from "@pulumi/policy";
import { elementsOf, known, NOT_KNOWN } from "./unknowns";

export interface Grant {
  role: string;
  members: string[];
}

/** Where a grant applies, for messages ("project", "folder", "organization"). */
export type Level = "project" | "folder" | "organization";

/** What the three kinds of IAM resource hold, under the names all three levels use. */
export type IamProps =
  { role: string; member: string } | { role: string; members: readonly string[] } | { policyData: string };

interface PolicyDocument {
  bindings?: { role?: string; members?: string[] }[];
}

function grantsOfPolicyData(policyData: string): Grant[] {
  let document: PolicyDocument | null;
  try {
    document = JSON.parse(policyData) as PolicyDocument | null;
  } catch {
    return []; // the IAM API refuses a policy that is not JSON
  }
  return (document?.bindings ?? []).flatMap((binding) =>
    typeof binding.role === "string" ? [{ role: binding.role, members: binding.members ?? [] }] : [],
  );
}

/**
 * How a member not known until the update is shown: it is an account the stack creates (a grant to an
 * existing one names it with a string known at preview), so never a default service account.
 */
const MEMBER_NOT_KNOWN = "a member not known until the update";

function memberOf(read: () => string): string {
  const member = known(read);
  return member === NOT_KNOWN ? MEMBER_NOT_KNOWN : member;
}

/** The grants one IAM resource makes; a role or policy not known until the update throws (unknowns.ts). */
export function grantsOf(props: IamProps): Grant[] {
  if ("policyData" in props) return grantsOfPolicyData(props.policyData);
  const members =
    "members" in props ? elementsOf(props.members).map(memberOf) : [memberOf(() => props.member)];
  return [{ role: props.role, members }];
}

type IamCheck = (
  grants: Grant[],
  level: Level,
  args: ResourceValidationArgs,
  report: ReportViolation,
) => void;

/** One check over every project-, folder- and organization-level IAM resource type. */
export function checkIamGrants(check: IamCheck): ResourceValidation[] {
  const of = (level: Level) => (props: IamProps, args: ResourceValidationArgs, report: ReportViolation) =>
    check(grantsOf(props), level, args, report);
  return [
    validateResourceOfType(gcp.projects.IAMMember, of("project")),
    validateResourceOfType(gcp.projects.IAMBinding, of("project")),
    validateResourceOfType(gcp.projects.IAMPolicy, of("project")),
    validateResourceOfType(gcp.folder.IAMMember, of("folder")),
    validateResourceOfType(gcp.folder.IAMBinding, of("folder")),
    validateResourceOfType(gcp.folder.IAMPolicy, of("folder")),
    validateResourceOfType(gcp.organizations.IAMMember, of("organization")),
    validateResourceOfType(gcp.organizations.IAMBinding, of("organization")),
    validateResourceOfType(gcp.organizations.IAMPolicy, of("organization")),
  ];
}
