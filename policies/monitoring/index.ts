/** Monitoring on every server, and QPS monitoring. */
import { siteRequiresQpsAlert } from "./site-requires-qps-alert";
import { siteRequiresUptimeCheck } from "./site-requires-uptime-check";
import { vmRequiresOpsAgent } from "./vm-requires-ops-agent";

export { siteRequiresQpsAlert, siteRequiresUptimeCheck, vmRequiresOpsAgent };

export const monitoringPolicies = [vmRequiresOpsAgent, siteRequiresUptimeCheck, siteRequiresQpsAlert];
