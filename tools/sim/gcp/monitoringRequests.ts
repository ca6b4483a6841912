/**
 * Requests the Monitoring API refuses, as the real one does, so that a mistake in the program fails in the
 * simulator instead of on a real project. The rules come from the API reference; the messages are worded
 * after the API's 400 errors, naming the field and the rule.
 */
import { isPlainObject as isObject, list, Props, str } from "../values";

function badRequest(field: string, rule: string): Error {
  return new Error(`googleapi: Error 400: Field ${field} is invalid: ${rule}.`);
}

/** A duration of whole seconds ("300s"), or undefined. */
function seconds(value: unknown): number | undefined {
  const match = /^(\d+)s$/.exec(str(value) ?? "");
  return match ? Number(match[1]) : undefined;
}

/**
 * ServiceLevelObjective (https://cloud.google.com/monitoring/api/ref_v3/rest/v3/services.serviceLevelObjectives):
 * `goal` in (0, 0.9999]; a rolling period of 1 to 30 days; a good/total ratio given by exactly two of its
 * three filters; a distribution cut with a bound.
 */
export function refuseBadSlo(inputs: Props): void {
  const goal = inputs.goal;
  if (typeof goal !== "number" || !(goal > 0 && goal <= 0.9999)) {
    throw badRequest("goal", `${String(goal)} is not greater than 0 and at most 0.9999`);
  }
  const days = inputs.rollingPeriodDays;
  if (days !== undefined && !(Number.isInteger(days) && (days as number) >= 1 && (days as number) <= 30)) {
    throw badRequest("rolling_period", `${String(days)} days is not 1 to 30 days`);
  }
  const sli = isObject(inputs.requestBasedSli) ? inputs.requestBasedSli : undefined;
  const ratio = sli && isObject(sli.goodTotalRatio) ? sli.goodTotalRatio : undefined;
  if (ratio) {
    const given = ["goodServiceFilter", "badServiceFilter", "totalServiceFilter"].filter((key) =>
      str(ratio[key]),
    );
    if (given.length !== 2) {
      throw badRequest(
        "good_total_ratio",
        `exactly two of the good, bad and total filters must be set, not ${given.length}`,
      );
    }
  }
  const cut = sli && isObject(sli.distributionCut) ? sli.distributionCut : undefined;
  if (cut) {
    const range = isObject(cut.range) ? cut.range : {};
    if (range.min === undefined && range.max === undefined) {
      throw badRequest("distribution_cut.range", "a range needs a min or a max");
    }
  }
}

/**
 * AlertPolicy (https://cloud.google.com/monitoring/api/ref_v3/rest/v3/projects.alertPolicies): a metric
 * absence lasts at least 120 s, in whole minutes; a PromQL condition is evaluated at a multiple of 30 s.
 */
export function refuseBadAlertPolicy(inputs: Props): void {
  for (const condition of list(inputs.conditions)) {
    if (!isObject(condition)) continue;
    const absent = isObject(condition.conditionAbsent) ? condition.conditionAbsent : undefined;
    const duration = absent ? seconds(absent.duration) : undefined;
    if (absent && (duration === undefined || duration < 120 || duration % 60 !== 0)) {
      throw badRequest(
        "condition_absent.duration",
        `${String(absent.duration)} is not a whole number of minutes of at least 120s`,
      );
    }
    const promql = isObject(condition.conditionPrometheusQueryLanguage)
      ? condition.conditionPrometheusQueryLanguage
      : undefined;
    const interval = promql?.evaluationInterval;
    if (promql && interval !== undefined && (seconds(interval) ?? 1) % 30 !== 0) {
      throw badRequest(
        "condition_prometheus_query_language.evaluation_interval",
        `${String(interval)} is not a multiple of 30s`,
      );
    }
  }
}

/** The checks above by resource type, for an update as much as a create. */
export function refuseBadMonitoringRequest(type: string, inputs: Props): void {
  if (type === "gcp:monitoring/slo:Slo") refuseBadSlo(inputs);
  if (type === "gcp:monitoring/alertPolicy:AlertPolicy") refuseBadAlertPolicy(inputs);
}
