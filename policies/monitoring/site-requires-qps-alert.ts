import * as gcp from "@pulumi/gcp";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { servesSite } from "../lib/site";
import { StackIndex } from "../lib/stack";
import { T } from "../lib/types";
import { flag, isUnknown, list, quote, record, text } from "../lib/values";

export interface QpsAlertConfig {
  qpsMetrics: string[];
}

export const DEFAULT_QPS_METRICS = [
  "loadbalancing.googleapis.com/https/request_count",
  "loadbalancing_googleapis_com:https_request_count",
];

/** Whether an alert policy watches one of the QPS metrics: "yes", "no" or "unknown". */
function watchesQps(conditions: unknown, metrics: readonly string[]): "yes" | "no" | "unknown" {
  if (isUnknown(conditions)) return "unknown";
  let unknown = false;
  for (const entry of list(conditions) ?? []) {
    const condition = record<gcp.types.input.monitoring.AlertPolicyCondition>(entry);
    const queries = [
      record(condition?.conditionThreshold)?.filter,
      record(condition?.conditionMonitoringQueryLanguage)?.query,
      record(condition?.conditionPrometheusQueryLanguage)?.query,
    ];
    for (const query of queries) {
      if (isUnknown(query)) unknown = true;
      const value = text(query);
      if (value !== undefined && metrics.some((metric) => value.includes(metric))) return "yes";
    }
  }
  return unknown ? "unknown" : "no";
}

export const siteRequiresQpsAlert: StackValidationPolicy = {
  name: "gcp-site-requires-qps-alert",
  description:
    "Monitoring on every server, and QPS monitoring: a stack that serves a site has an enabled alert policy on its requests per second (the load balancer's request_count) that notifies someone.",
  configSchema: {
    properties: {
      qpsMetrics: {
        type: "array",
        items: { type: "string", minLength: 1 },
        minItems: 1,
        default: DEFAULT_QPS_METRICS,
        description: "Metric names (as written in alert filters or queries) that measure the site's QPS.",
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
          'metric.type="loadbalancing.googleapis.com/https/request_count" and a notification channel.',
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
