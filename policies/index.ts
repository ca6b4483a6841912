import { PolicyPack } from "@pulumi/policy";
import { PACK_ENFORCEMENT_LEVEL, PACK_NAME, packPolicies } from "./pack";

new PolicyPack(PACK_NAME, { enforcementLevel: PACK_ENFORCEMENT_LEVEL, policies: packPolicies });
