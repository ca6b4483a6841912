import * as gcp from "@pulumi/gcp";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { servesSite } from "../lib/site";
import { StackIndex } from "../lib/stack";
import { T } from "../lib/types";
import { flag, isAbsent, isUnknown, list, quote, record, text } from "../lib/values";

export interface QpsAlertConfig {
  qpsMetrics: string[];
}

export const DEFAULT_QPS_METRICS = [
  "loadbalancing.googleapis.com/https/request_count",
  "loadbalancing.googleapis.com/https/external/regional/request_count",
];

/** Comparisons that fire when traffic rises above the threshold. */
const RISING = ["COMPARISON_GT", "COMPARISON_GE"];

/**
 * Whether one threshold condition alerts on the site's total requests per second. A filter restricted to some
 * response codes, or a ratio (denominatorFilter), watches errors, not load, so it does not count.
 */
function isQpsThreshold(condition: unknown, metrics: readonly string[]): "yes" | "no" | "unknown" {
  const threshold = record<gcp.types.input.monitoring.AlertPolicyConditionConditionThreshold>(
    record<gcp.types.input.monitoring.AlertPolicyCondition>(condition)?.conditionThreshold,
  );
  if (!threshold) return "no";
  const { filter, denominatorFilter, comparison } = threshold;
  if (isUnknown(filter) || isUnknown(denominatorFilter) || isUnknown(comparison)) return "unknown";
  const value = text(filter);
  if (value === undefined || !metrics.some((metric) => value.includes(metric))) return "no";
  if (/response_code/i.test(value)) return "no";
  if (!isAbsent(denominatorFilter)) return "no";
  return RISING.includes(text(comparison) ?? "") ? "yes" : "no";
}

/** Whether an alert policy has a threshold condition on one of the QPS metrics: "yes", "no" or "unknown". */
function watchesQps(conditions: unknown, metrics: readonly string[]): "yes" | "no" | "unknown" {
  if (isUnknown(conditions)) return "unknown";
  let unknown = false;
  for (const condition of list(conditions) ?? []) {
    const verdict = isQpsThreshold(condition, metrics);
    if (verdict === "yes") return "yes";
    if (verdict === "unknown") unknown = true;
  }
  return unknown ? "unknown" : "no";
}

export const siteRequiresQpsAlert: StackValidationPolicy = {
  name: "gcp-site-requires-qps-alert",
  description:
    "Monitoring on every server, and QPS monitoring: a stack that serves a site has an enabled alert policy that notifies someone, with a threshold condition that fires when its requests per second (the load balancer's request_count, not restricted to some response codes and not a ratio) rise above a limit.",
  configSchema: {
    properties: {
      qpsMetrics: {
        type: "array",
        items: { type: "string", minLength: 1 },
        minItems: 1,
        default: DEFAULT_QPS_METRICS,
        description: "Metric types (as written in threshold condition filters) that measure the site's QPS.",
      },
    },
  },
  validateStack: (args, report) => {
    const index = StackIndex.of(args.resources);
    if (!servesSite(index)) args.notApplicable("The stack serves no site through a load balancer.");
    const { qpsMetrics } = args.getConfig<QpsAlertConfig>();
    const qpsAlerts: PolicyResource[] = [];
    for (const alert of index.ofType(T.alertPolicy)) {
      const watches = watchesQps(index.props(alert).conditions, qpsMetrics);
      if (watches === "unknown") return;
      if (watches === "yes") qpsAlerts.push(alert);
    }
    if (qpsAlerts.length === 0) {
      report(
        "The stack serves a site but no alert policy watches its QPS; add an AlertPolicy with a threshold condition on " +
          'metric.type="loadbalancing.googleapis.com/https/request_count" (no response_code restriction, no denominatorFilter, ' +
          "comparison COMPARISON_GT) and a notification channel.",
      );
      return;
    }
    const problems = new Map<PolicyResource, string>();
    for (const alert of qpsAlerts) {
      const props = index.props(alert);
      if (!isUnknown(props.enabled) && flag(props.enabled) === false) {
        problems.set(alert, `QPS alert policy ${quote(alert.name)} is disabled; set enabled to true.`);
        continue;
      }
      const channels = props.notificationChannels;
      if (!isUnknown(channels) && (list(channels)?.length ?? 0) === 0) {
        problems.set(
          alert,
          `QPS alert policy ${quote(alert.name)} notifies nobody; add a notification channel (for example the team's e-mail) to notificationChannels.`,
        );
        continue;
      }
      return;
    }
    for (const [alert, message] of problems) report(message, alert.urn);
  },
};
