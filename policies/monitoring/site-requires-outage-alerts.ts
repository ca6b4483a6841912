import { StackValidationPolicy } from "@pulumi/policy";
import { alertsWhere, Condition, promqlMetricName, requireLiveAlert, selectsMetric } from "../lib/alerts";
import { servesSite } from "../lib/site";
import { StackIndex } from "../lib/stack";
import { DEFAULT_QPS_METRICS } from "./site-requires-qps-alert";
import { isAbsent } from "../lib/values";

export interface OutageAlertConfig {
  requestMetrics: string[];
}

const FALLING = ["COMPARISON_LT", "COMPARISON_LE"];
const RISING = ["COMPARISON_GT", "COMPARISON_GE"];

/**
 * Whether a condition fires when the site's requests fall away: an absence of its request count, a
 * threshold below which the count must not fall, or a PromQL comparison of the request rate against
 * something (such as the same time last week).
 */
function watchesTrafficDrop(condition: Condition, metrics: readonly string[]): boolean {
  // Requests restricted to some response codes going away (errors stopping) is no outage.
  const allRequests = (filter: string) => selectsMetric(filter, metrics) && !/response_code/i.test(filter);
  const absence = condition.conditionAbsent;
  if (absence) return allRequests(absence.filter ?? "");
  const threshold = condition.conditionThreshold;
  if (threshold) {
    return (
      allRequests(threshold.filter ?? "") &&
      isAbsent(threshold.denominatorFilter) &&
      FALLING.includes(threshold.comparison)
    );
  }
  const query = condition.conditionPrometheusQueryLanguage?.query;
  if (isAbsent(query)) return false;
  return metrics.some((m) => query.includes(promqlMetricName(m))) && /<(?!=?\s*bool)/.test(query);
}

/** Whether a condition fires when an SLO's error budget burns faster than a rate. */
function watchesBurnRate(condition: Condition): boolean {
  const threshold = condition.conditionThreshold;
  if (!threshold) return false;
  return (
    /^\s*select_slo_burn_rate\s*\(/.test(threshold.filter ?? "") && RISING.includes(threshold.comparison)
  );
}

export const siteRequiresOutageAlerts: StackValidationPolicy = {
  name: "gcp-site-requires-outage-alerts",
  severity: "medium",
  remediationSteps:
    "Add an enabled alert on the absence, or a drop, of the load balancer's request_count, and one on select_slo_burn_rate for the site's service-level objective, each with a notification channel.",
  url: "https://cloud.google.com/stackdriver/docs/solutions/slo-monitoring/alerting-on-budget-burn-rate",
  description:
    "Monitoring on every server, and QPS monitoring: a stack that serves a site has enabled alert policies that notify " +
    "someone when its traffic falls away (an absence of its request count, a threshold below it, or a PromQL comparison " +
    "of its request rate) and when a service-level objective's error budget burns too fast (select_slo_burn_rate), " +
    "the two outages an uptime check from a few regions and a fixed QPS ceiling miss.",
  configSchema: {
    properties: {
      requestMetrics: {
        type: "array",
        items: { type: "string", minLength: 1 },
        minItems: 1,
        default: DEFAULT_QPS_METRICS,
        description: "Metric types that count the site's requests (their PromQL names are derived).",
      },
    },
  },
  validateStack: (args, report) => {
    const index = StackIndex.of(args.resources);
    if (!servesSite(index)) args.notApplicable("The stack serves no site through a load balancer.");
    const { requestMetrics } = args.getConfig<OutageAlertConfig>();
    requireLiveAlert(
      alertsWhere(index, (c) => watchesTrafficDrop(c, requestMetrics)),
      "Traffic-drop",
      "The stack serves a site but no alert policy fires when its traffic falls away; add an AlertPolicy with a " +
        'conditionAbsent on metric.type="loadbalancing.googleapis.com/https/request_count", or a PromQL condition ' +
        "comparing its request rate with the same time last week, and a notification channel.",
      report,
    );
    requireLiveAlert(
      alertsWhere(index, watchesBurnRate),
      "Burn-rate",
      "The stack serves a site but no alert policy watches an error budget; add a monitoring Slo for the site and an " +
        'AlertPolicy with a threshold condition on select_slo_burn_rate("<slo name>", "3600s"), comparison ' +
        "COMPARISON_GT, and a notification channel.",
      report,
    );
  },
};
