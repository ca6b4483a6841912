/**
 * Waivers: a policy config may exempt named resources from one policy, with a reason and, optionally, the
 * last day it holds. Every policy of the pack is wrapped so that a waived finding is not reported by its
 * policy but recorded, and `gcp-waived-findings` (advisory) reports each one with its reason, so a waiver
 * is never silent. An expired waiver is ignored and the finding is reported again, saying so. The same
 * wrapping runs under the Pulumi engine, the offline plan and check-policies.
 *
 *   "gcp-firewall-disallow-public-ingress": {
 *     "exemptions": [{ "resource": "partner-https", "reason": "Partner's office range, contract 42", "expires": "2027-03-31" }]
 *   }
 */
import {
  Policy,
  PolicyConfigSchema,
  ReportViolation,
  ResourceValidation,
  ResourceValidationPolicy,
  StackValidation,
  StackValidationPolicy,
} from "@pulumi/policy";
import { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { quote } from "./values";

export interface Exemption {
  /** The resource's logical name. */
  resource: string;
  reason: string;
  /** The last day (UTC, YYYY-MM-DD) the waiver holds; without it, it holds until removed. */
  expires?: string;
}

export const WAIVED_FINDINGS_POLICY = "gcp-waived-findings";

const exemptionsSchema: PolicyConfigJSONSchema = {
  type: "array",
  default: [],
  description:
    "Resources waived from this policy, each with a reason and optionally the last day (YYYY-MM-DD, UTC) the waiver holds.",
  items: {
    type: "object",
    properties: {
      resource: { type: "string", minLength: 1, description: "The resource's logical name." },
      reason: { type: "string", minLength: 10, description: "Why the finding is accepted, for the record." },
      expires: {
        type: "string",
        pattern: "^\\d{4}-\\d{2}-\\d{2}$",
        description: "Last day the waiver holds.",
      },
    },
    required: ["resource", "reason"],
    additionalProperties: false,
  },
};

interface WaivedFinding {
  policy: string;
  resource: string;
  urn?: string;
  exemption: Exemption;
  message: string;
}

/** Findings waived in this process, by policy and resource (previews run validations more than once). */
const waived = new Map<string, WaivedFinding>();

/** Today in UTC as YYYY-MM-DD, which compares with an expiry date as text. */
function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** A report that waives what the policy's exemptions cover, and says when an expired one no longer does. */
function waiving(policy: string, exemptions: readonly Exemption[], report: ReportViolation) {
  return (resource: string | undefined, urn: string | undefined) => (message: string) => {
    const exemption = resource === undefined ? undefined : exemptions.find((e) => e.resource === resource);
    if (!exemption || resource === undefined) return report(message, urn);
    if (exemption.expires !== undefined && exemption.expires < today()) {
      return report(
        `${message} (Its waiver expired on ${exemption.expires}; the reason given was ${quote(exemption.reason)}.)`,
        urn,
      );
    }
    waived.set(`${policy}|${resource}`, { policy, resource, urn, exemption, message });
  };
}

const exemptionsOf = (getConfig: <T extends object>() => T) =>
  getConfig<{ exemptions?: Exemption[] }>().exemptions ?? [];

function withSchema(schema: PolicyConfigSchema | undefined): PolicyConfigSchema {
  return { ...schema, properties: { ...(schema?.properties ?? {}), exemptions: exemptionsSchema } };
}

function wrapResourceValidation(policy: string, validate: ResourceValidation): ResourceValidation {
  const wrapped: ResourceValidation = (args, report) =>
    validate(args, (message, urn) =>
      waiving(policy, exemptionsOf(args.getConfig), report)(args.name, urn ?? args.urn)(message),
    );
  // validateResourceOfType marks its validation with the type token, so the engine skips other types.
  return Object.assign(wrapped, validate);
}

function wrapStackValidation(policy: string, validate: StackValidation): StackValidation {
  const wrapped: StackValidation = (args, report) =>
    validate(args, (message, urn) =>
      waiving(
        policy,
        exemptionsOf(args.getConfig),
        report,
      )(
        urn === undefined ? undefined : urn.split("::").pop(),
        urn,
      )(message),
    );
  return Object.assign(wrapped, validate);
}

/** The policy, taking `exemptions` in its config and waiving the findings they cover. */
export function withExemptions<T extends Policy>(policy: T): T {
  const configSchema = withSchema(policy.configSchema);
  if ("validateStack" in policy) {
    const stackPolicy = policy as unknown as StackValidationPolicy;
    return {
      ...policy,
      configSchema,
      validateStack: wrapStackValidation(policy.name, stackPolicy.validateStack),
    };
  }
  const resourcePolicy = policy as unknown as ResourceValidationPolicy;
  const validations = resourcePolicy.validateResource;
  const validateResource = Array.isArray(validations)
    ? validations.map((v) => wrapResourceValidation(policy.name, v))
    : validations && wrapResourceValidation(policy.name, validations);
  return { ...policy, configSchema, validateResource };
}

/**
 * Reports every waived finding, advisory, with its waiver: the record that a policy was waived where,
 * why and until when. It runs last, after every other policy has had its say.
 */
export const waivedFindings: StackValidationPolicy = {
  name: WAIVED_FINDINGS_POLICY,
  severity: "low",
  remediationSteps:
    "Fix the waived resource and remove its exemption from the policy config before the waiver expires.",
  url: "https://www.pulumi.com/docs/insights/policy/policy-packs/",
  description:
    "Waivers: every finding a policy config waives is reported here, advisory, with the waiver's reason and expiry, so that accepting a risk stays visible.",
  enforcementLevel: "advisory",
  validateStack: (_args, report) => {
    for (const finding of waived.values()) report(waiverMessage(finding), finding.urn);
    waived.clear();
  },
};

function waiverMessage({ policy, resource, exemption, message }: WaivedFinding): string {
  const until = exemption.expires ? `until ${exemption.expires}` : "with no end date";
  return `Waived ${until}: ${policy} on ${quote(resource)}, because ${quote(exemption.reason)}. The finding: ${message}`;
}

/** A waived finding as gcp-waived-findings reports it, read back from its message (for SARIF's suppressions). */
export interface WaiverRecord {
  policy: string;
  resource: string;
  reason: string;
  expires?: string;
  finding: string;
}

const QUOTED = String.raw`"(?:[^"\\]|\\.)*"`;
const WAIVER_MESSAGE = new RegExp(
  String.raw`^Waived (?:until (\d{4}-\d{2}-\d{2})|with no end date): (\S+) on (${QUOTED}), because (${QUOTED})\. The finding: ([\s\S]*)$`,
);

export function parseWaiverMessage(message: string): WaiverRecord | undefined {
  const m = WAIVER_MESSAGE.exec(message);
  if (!m) return undefined;
  const [, expires, policy, resource, reason, finding] = m;
  return {
    policy,
    resource: JSON.parse(resource) as string,
    reason: JSON.parse(reason) as string,
    ...(expires ? { expires } : {}),
    finding,
  };
}
