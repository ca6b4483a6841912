/** Monitoring on every server, and QPS monitoring. */
import { answering } from "../concerns";
import { cloudSqlRequiresHealthAlerts } from "./cloudsql-requires-health-alerts";
import { siteRequiresOutageAlerts } from "./site-requires-outage-alerts";
import { siteRequiresQpsAlert } from "./site-requires-qps-alert";
import { siteRequiresUptimeCheck } from "./site-requires-uptime-check";
import { vmRequiresOpsAgent } from "./vm-requires-ops-agent";

export {
  cloudSqlRequiresHealthAlerts,
  siteRequiresOutageAlerts,
  siteRequiresQpsAlert,
  siteRequiresUptimeCheck,
  vmRequiresOpsAgent,
};

export const monitoringPolicies = answering("monitoring", [
  vmRequiresOpsAgent,
  siteRequiresUptimeCheck,
  siteRequiresQpsAlert,
  siteRequiresOutageAlerts,
  cloudSqlRequiresHealthAlerts,
]);
