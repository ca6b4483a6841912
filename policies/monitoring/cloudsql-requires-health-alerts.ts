import { StackValidationPolicy } from "@pulumi/policy";
import * as gcp from "@pulumi/gcp";
import { alertsWhere, Condition, requireLiveAlert, selectsMetric } from "../lib/alerts";
import { isReplica } from "../lib/cloudsql";
import { propsAs, StackIndex } from "../lib/stack";
import { T } from "../lib/types";
import { known } from "../lib/unknowns";
import { isAbsent } from "../lib/values";

const cloudSql = (suffix: string) => `cloudsql.googleapis.com/database/${suffix}`;

/**
 * What says an instance is down. Not the deprecated `database/state`, which reads RUNNING through an
 * unplanned outage (https://cloud.google.com/sql/docs/mysql/admin-api/metrics).
 */
export const INSTANCE_DOWN_METRICS = [cloudSql("up"), cloudSql("instance_state")];

/**
 * What says replication stopped. Not the lag metrics: replica_lag turns negative, under any positive
 * threshold, when replication is not running.
 */
export const REPLICATION_METRICS = [
  cloudSql("replication/state"),
  cloudSql("mysql/replication/slave_io_running_state"),
  cloudSql("mysql/replication/slave_sql_running_state"),
];

/** Whether a threshold or absence condition reads one of the metrics. */
function readsMetric(condition: Condition, metrics: readonly string[]): boolean {
  const filter = (condition.conditionThreshold ?? condition.conditionAbsent)?.filter;
  return !isAbsent(filter) && selectsMetric(filter, metrics);
}

export const cloudSqlRequiresHealthAlerts: StackValidationPolicy = {
  name: "gcp-cloudsql-requires-health-alerts",
  severity: "medium",
  remediationSteps:
    "Add enabled alert policies, with a notification channel, on cloudsql.googleapis.com/database/up (or database/instance_state) and, with replicas, on the replication thread state metrics.",
  url: "https://cloud.google.com/sql/docs/mysql/monitor-instance",
  description:
    "Monitoring on every server, and QPS monitoring: the database is watched too, since failover and replicas only " +
    "help if someone learns they were needed. A stack with Cloud SQL instances has an enabled alert policy that notifies someone when an instance is down (database/up or " +
    "database/instance_state) and, when it has read replicas, one for replication that stopped (the replication state " +
    "metrics).",
  validateStack: (args, report) => {
    const index = StackIndex.of(args.resources);
    const instances = index.ofType(T.databaseInstance);
    if (instances.length === 0) args.notApplicable("The stack has no Cloud SQL instance.");
    requireLiveAlert(
      alertsWhere(index, (c) => readsMetric(c, INSTANCE_DOWN_METRICS)),
      "Instance-down",
      "The stack has Cloud SQL instances but no alert policy fires when one is down; add an AlertPolicy with a " +
        'threshold condition on metric.type="cloudsql.googleapis.com/database/up" (comparison COMPARISON_LT, value 1) ' +
        "and a notification channel.",
      report,
    );
    // A masterInstanceName not known yet names a primary not created yet: the instance is a replica.
    const replicas = instances.filter(
      (i) => known(() => isReplica(propsAs(i, gcp.sql.DatabaseInstance))) !== false,
    );
    if (replicas.length === 0) return;
    requireLiveAlert(
      alertsWhere(index, (c) => readsMetric(c, REPLICATION_METRICS)),
      "Replication",
      `The stack has read replicas (${replicas.map((r) => r.name).join(", ")}) but no alert policy fires when ` +
        "replication stops; add an AlertPolicy with a condition on " +
        'metric.type="cloudsql.googleapis.com/database/mysql/replication/slave_io_running_state" (and ' +
        "slave_sql_running_state) for state Yes, and a notification channel.",
      report,
    );
  },
};
