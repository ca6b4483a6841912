/** Reading alert policies: what their conditions watch, and whether they reach anyone. */
import * as gcp from "@pulumi/gcp";
import { PolicyResource, ReportViolation } from "@pulumi/policy";
import { StackIndex } from "./stack";
import { T } from "./types";
import { flag, isUnknown, list, Loose, quote, record } from "./values";

export type Condition = Loose<gcp.types.input.monitoring.AlertPolicyCondition>;
export type Verdict = "yes" | "no" | "unknown";

/** The condition's own settings, under whichever kind of condition it is. */
export function thresholdOf(condition: Condition) {
  return record<gcp.types.input.monitoring.AlertPolicyConditionConditionThreshold>(
    condition.conditionThreshold,
  );
}
export function absenceOf(condition: Condition) {
  return record<gcp.types.input.monitoring.AlertPolicyConditionConditionAbsent>(condition.conditionAbsent);
}
export function promqlOf(condition: Condition) {
  return record<gcp.types.input.monitoring.AlertPolicyConditionConditionPrometheusQueryLanguage>(
    condition.conditionPrometheusQueryLanguage,
  );
}

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
 * The alert policies with a condition `matches` says yes to, or "unknown" when one cannot be read until
 * the stack is deployed (then a policy should not guess).
 */
export function alertsWhere(
  index: StackIndex,
  matches: (condition: Condition) => Verdict,
): PolicyResource[] | "unknown" {
  const found: PolicyResource[] = [];
  for (const alert of index.ofType(T.alertPolicy)) {
    const conditions = index.props(alert).conditions;
    if (isUnknown(conditions)) return "unknown";
    const verdicts = (list(conditions) ?? []).map((c) => matches(record<Condition>(c) ?? {}));
    if (verdicts.includes("yes")) found.push(alert);
    else if (verdicts.includes("unknown")) return "unknown";
  }
  return found;
}

/** Why an alert policy would never reach anyone (disabled, or no channel), or undefined when it would. */
export function silentBecause(index: StackIndex, alert: PolicyResource, what: string): string | undefined {
  const props = index.props(alert);
  if (!isUnknown(props.enabled) && flag(props.enabled) === false) {
    return `${what} alert policy ${quote(alert.name)} is disabled; set enabled to true.`;
  }
  const channels = props.notificationChannels;
  if (!isUnknown(channels) && (list(channels)?.length ?? 0) === 0) {
    return `${what} alert policy ${quote(alert.name)} notifies nobody; add a notification channel (for example the team's e-mail) to notificationChannels.`;
  }
  return undefined;
}

/**
 * Reports nothing when one of `alerts` would reach someone. Otherwise reports `missing` on the stack when
 * there is none, or each one's reason for staying silent on the alert itself.
 */
export function requireLiveAlert(
  index: StackIndex,
  alerts: PolicyResource[],
  what: string,
  missing: string,
  report: ReportViolation,
): void {
  if (alerts.length === 0) {
    report(missing);
    return;
  }
  const silent = new Map<PolicyResource, string>();
  for (const alert of alerts) {
    const reason = silentBecause(index, alert, what);
    if (reason === undefined) return;
    silent.set(alert, reason);
  }
  for (const [alert, reason] of silent) report(reason, alert.urn);
}
