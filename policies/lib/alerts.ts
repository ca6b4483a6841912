/** Reading alert policies: what their conditions watch, and whether they reach anyone. */
import * as gcp from "@pulumi/gcp";
import { PolicyResource, ReportViolation } from "@pulumi/policy";
import { propsAs, StackIndex } from "./stack";
import { T } from "./types";
import { elementsOf, known, NOT_KNOWN } from "./unknowns";
import { quote } from "./values";

export type Condition = gcp.types.output.monitoring.AlertPolicyCondition;

/** Whether a Monitoring filter selects one of the metric types, which the filter language quotes. */
export function selectsMetric(filter: string, metrics: readonly string[]): boolean {
  return metrics.some((metric) => filter.includes(`"${metric}"`) || filter.includes(`'${metric}'`));
}

/**
 * The PromQL name of a Cloud Monitoring metric type: the first "/" becomes ":" and every other character
 * PromQL does not allow becomes "_" (https://cloud.google.com/monitoring/promql/promql-mapping).
 */
export function promqlMetricName(metricType: string): string {
  return metricType.replace("/", ":").replace(/[^A-Za-z0-9_:]/g, "_");
}

/**
 * The alert policies with a condition `matches`, or NOT_KNOWN when a condition that might match cannot be
 * read until the stack is deployed (then a policy should not guess).
 */
export function alertsWhere(
  index: StackIndex,
  matches: (condition: Condition) => boolean,
): PolicyResource[] | typeof NOT_KNOWN {
  const found: PolicyResource[] = [];
  for (const alert of index.ofType(T.alertPolicy)) {
    const conditions = known(() => propsAs(alert, gcp.monitoring.AlertPolicy).conditions);
    if (conditions === NOT_KNOWN) return NOT_KNOWN;
    const verdicts = elementsOf(conditions).map((condition) => known(() => matches(condition())));
    if (verdicts.includes(true)) found.push(alert);
    else if (verdicts.includes(NOT_KNOWN)) return NOT_KNOWN;
  }
  return found;
}

/** Why an alert policy would never reach anyone (disabled, or no channel), or undefined when it would. */
export function silentBecause(alert: PolicyResource, what: string): string | undefined {
  const props = propsAs(alert, gcp.monitoring.AlertPolicy);
  if (known(() => props.enabled) === false) {
    return `${what} alert policy ${quote(alert.name)} is disabled; set enabled to true.`;
  }
  const channels = known(() => props.notificationChannels);
  if (channels !== NOT_KNOWN && (channels?.length ?? 0) === 0) {
    return `${what} alert policy ${quote(alert.name)} notifies nobody; add a notification channel (for example the team's e-mail) to notificationChannels.`;
  }
  return undefined;
}

/**
 * Reports nothing when one of `alerts` would reach someone. Otherwise reports `missing` on the stack when
 * there is none, or each one's reason for staying silent on the alert itself. NOT_KNOWN reports nothing.
 */
export function requireLiveAlert(
  alerts: PolicyResource[] | typeof NOT_KNOWN,
  what: string,
  missing: string,
  report: ReportViolation,
): void {
  if (alerts === NOT_KNOWN) return;
  if (alerts.length === 0) {
    report(missing);
    return;
  }
  const silent = new Map<PolicyResource, string>();
  for (const alert of alerts) {
    const reason = silentBecause(alert, what);
    if (reason === undefined) return;
    silent.set(alert, reason);
  }
  for (const [alert, reason] of silent) report(reason, alert.urn);
}
