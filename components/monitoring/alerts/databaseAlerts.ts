import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { absence, alertPolicy, AlertTarget, threshold } from "./alertPolicy";
import { cloudSqlFilter } from "../metrics";

/** The `database_id` (`<project>:<instance>`) Cloud SQL's metrics carry for each instance. */
export interface DatabaseIds {
  primary: string;
  replicas: string[];
}

export interface DatabaseAlertArgs {
  ids: pulumi.Output<DatabaseIds>;
  /** Whether the stack has read replicas (known before they exist, unlike their IDs). */
  hasReplicas: boolean;
  cpuPercent: number;
  diskPercent: number;
  replicaLagSeconds: number;
}

const everyMinute = { period: "60s", aligner: "ALIGN_MEAN" };
const fiveMinutes = { period: "300s", aligner: "ALIGN_MEAN" };

/**
 * Cloud SQL's own metrics (https://cloud.google.com/sql/docs/mysql/admin-api/metrics), per instance. The
 * `state` metrics are BOOL gauges with one series per state, true for the current one, so they are read
 * as the fraction of time true.
 */
export function databaseAlerts(target: AlertTarget, args: DatabaseAlertArgs): gcp.monitoring.AlertPolicy[] {
  const all = args.ids.apply((ids) => [ids.primary, ...ids.replicas]);
  const of = (suffix: string, extra = "") =>
    all.apply((ids) => `${cloudSqlFilter(suffix, ids)}${extra ? ` ${extra}` : ""}`);
  const ofReplicas = (suffix: string, extra = "") =>
    args.ids.apply((ids) => `${cloudSqlFilter(suffix, ids.replicas)}${extra ? ` ${extra}` : ""}`);
  const alerts = [
    alertPolicy(target, "db-down", {
      severity: "CRITICAL",
      title: "a Cloud SQL instance is down",
      runbook:
        "A Cloud SQL instance has not served for 5 minutes, is FAILED, or has stopped reporting. An automatic failover " +
        "takes about a minute, so this is longer than one. Check the instance's operations and logs in the Cloud SQL " +
        "console; for the primary, whether the standby took over; for a replica, the application falls back to the primary.",
      conditions: [
        threshold("Instance not up", {
          filter: of("up"),
          window: everyMinute,
          comparison: "COMPARISON_LT",
          value: 1,
          duration: "300s",
        }),
        threshold("Instance FAILED", {
          filter: of("instance_state", 'metric.label.state="FAILED"'),
          window: { period: "60s", aligner: "ALIGN_FRACTION_TRUE" },
          comparison: "COMPARISON_GT",
          value: 0,
          duration: "60s",
        }),
        absence("Instance silent", of("up"), everyMinute, "600s"),
      ],
    }),
    alertPolicy(target, "db-cpu-high", {
      severity: "WARNING",
      title: `Cloud SQL CPU above ${args.cpuPercent}%`,
      runbook:
        `A Cloud SQL instance has used more than ${args.cpuPercent}% CPU for 15 minutes. Look for slow queries in ` +
        "Query Insights; send reads to the replicas, or raise dbTier.",
      conditions: [
        threshold("CPU utilisation", {
          filter: of("cpu/utilization"),
          window: fiveMinutes,
          comparison: "COMPARISON_GT",
          // The metric is a fraction of the instance's CPUs, 0 to 1.
          value: args.cpuPercent / 100,
          duration: "900s",
        }),
      ],
    }),
    alertPolicy(target, "db-disk-full", {
      severity: "WARNING",
      title: `Cloud SQL disk above ${args.diskPercent}%`,
      runbook:
        `A Cloud SQL instance's disk is more than ${args.diskPercent}% full. Automatic storage increase grows it, ` +
        "but never shrinks it: check binary log retention and what grew.",
      conditions: [
        threshold("Disk utilisation", {
          filter: of("disk/utilization"),
          window: fiveMinutes,
          comparison: "COMPARISON_GT",
          value: args.diskPercent / 100,
          duration: "300s",
        }),
      ],
    }),
  ];
  if (!args.hasReplicas) return alerts;
  return [
    ...alerts,
    alertPolicy(target, "db-replication-stopped", {
      severity: "ERROR",
      title: "a read replica's replication is not running",
      runbook:
        "A read replica's I/O or SQL replication thread has not been running for 5 minutes, so it serves ever staler " +
        "reads. See its error in the replica's MySQL log (Logs Explorer, `cloudsql.googleapis.com/mysql.err`); a " +
        "replica that cannot catch up is rebuilt by recreating it.",
      conditions: [
        threshold("I/O thread not running", {
          filter: ofReplicas("mysql/replication/slave_io_running_state", 'metric.label.state="Yes"'),
          window: { period: "300s", aligner: "ALIGN_FRACTION_TRUE" },
          comparison: "COMPARISON_LT",
          value: 0.5,
          duration: "300s",
        }),
        threshold("SQL thread not running", {
          filter: ofReplicas("mysql/replication/slave_sql_running_state", 'metric.label.state="Yes"'),
          window: { period: "300s", aligner: "ALIGN_FRACTION_TRUE" },
          comparison: "COMPARISON_LT",
          value: 0.5,
          duration: "300s",
        }),
      ],
    }),
    alertPolicy(target, "db-replica-lag", {
      severity: "WARNING",
      title: `a read replica more than ${args.replicaLagSeconds} s behind`,
      runbook:
        `A read replica has been more than ${args.replicaLagSeconds} s behind the primary for 5 minutes, so reads ` +
        "from it are stale. Check the primary's write load and long transactions, and the replica's CPU.",
      conditions: [
        threshold("Replica lag", {
          filter: ofReplicas("replication/replica_lag"),
          window: { period: "60s", aligner: "ALIGN_MAX" },
          comparison: "COMPARISON_GT",
          value: args.replicaLagSeconds,
          duration: "300s",
        }),
      ],
    }),
  ];
}
