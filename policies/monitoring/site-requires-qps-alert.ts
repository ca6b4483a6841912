import { StackValidationPolicy } from "@pulumi/policy";
import { alertsWhere, Condition, requireLiveAlert } from "../lib/alerts";
import { servesSite } from "../lib/site";
import { StackIndex } from "../lib/stack";
import { isAbsent } from "../lib/values";

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
 * Whether one condition alerts on the site's total requests per second. A filter restricted to some
 * response codes, or a ratio (denominatorFilter), watches errors, not load, so it does not count.
 */
function isQpsThreshold(condition: Condition, metrics: readonly string[]): boolean {
  const threshold = condition.conditionThreshold;
  if (!threshold) return false;
  const filter = threshold.filter ?? "";
  return (
    metrics.some((metric) => filter.includes(metric)) &&
    !/response_code/i.test(filter) &&
    isAbsent(threshold.denominatorFilter) &&
    RISING.includes(threshold.comparison)
  );
}

export const siteRequiresQpsAlert: StackValidationPolicy = {
  name: "gcp-site-requires-qps-alert",
  severity: "low",
  remediationSteps:
    "Add an enabled AlertPolicy with a conditionThreshold on the load balancer's request_count, comparison COMPARISON_GT, and a notification channel.",
  url: "https://cloud.google.com/monitoring/alerts",
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
    requireLiveAlert(
      alertsWhere(index, (condition) => isQpsThreshold(condition, qpsMetrics)),

      "QPS",
      "The stack serves a site but no alert policy watches its QPS; add an AlertPolicy with a threshold condition on " +
        'metric.type="loadbalancing.googleapis.com/https/request_count" (no response_code restriction, no denominatorFilter, ' +
        "comparison COMPARISON_GT) and a notification channel.",
      report,
    );
  },
};
