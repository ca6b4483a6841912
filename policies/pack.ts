/**
 * The policies of the foobar-web pack, in report order. Kept apart from index.ts, which starts the
 * analyzer's gRPC server when loaded: tests, the check-policies CLI and the offline plan import this.
 */
import { Policies } from "@pulumi/policy";
import { availabilityPolicies } from "./availability";
import { backendTlsPolicies } from "./backend-tls";
import { databasePolicies } from "./database";
import { firewallPolicies } from "./firewall";
import { hardeningPolicies } from "./hardening";
import { httpsPolicies } from "./https";
import { monitoringPolicies } from "./monitoring";
import { tierSeparationPolicies } from "./tier-separation";
import { waivedFindings, withExemptions } from "./lib/exemptions";

export const PACK_NAME = "foobar-web";

/**
 * The pack as the engine's messages name it: `<name>@v<version>`, the version being what @pulumi/policy
 * reads from the pack's package.json (a test keeps the two equal).
 */
export const PACK_ID = `${PACK_NAME}@v0.1.0`;

/**
 * The level of a policy the environment's policy config says nothing about, and of every policy when there
 * is no config: mandatory, so a new environment, or a config that forgets a policy, fails closed. Dev's
 * config relaxes what it relaxes.
 */
export const PACK_ENFORCEMENT_LEVEL = "mandatory";

/**
 * The design's policies, each tagged with the concern it answers and taking waivers (`exemptions`) in its
 * config, then the report of the waivers.
 */
export const packPolicies: Policies = [
  ...[
    ...firewallPolicies,
    ...httpsPolicies,
    ...backendTlsPolicies,
    ...databasePolicies,
    ...tierSeparationPolicies,
    ...monitoringPolicies,
    ...availabilityPolicies,
    ...hardeningPolicies,
  ].map(withExemptions),
  waivedFindings,
];
