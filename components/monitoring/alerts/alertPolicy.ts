import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";

type Condition = gcp.types.input.monitoring.AlertPolicyCondition;

/** Who a group of alerts belongs to and whom they notify. */
export interface AlertTarget {
  parent: pulumi.Resource;
  /** Prefix of the alert policies' logical names (the monitoring component's name). */
  name: string;
  /** The site, which starts every alert's title, so a page says which site it is about. */
  domain: string;
  channels: pulumi.Input<string>[];
}

export interface AlertSpec {
  /** CRITICAL pages; ERROR and WARNING are for working hours (the severity shows in every notification). */
  severity: "CRITICAL" | "ERROR" | "WARNING";
  title: string;
  /** What to check first, in Markdown: it is sent with every notification. */
  runbook: string;
  conditions: Condition[];
  /** AND makes every condition necessary (multi-window burn rate); OR (the default) any one sufficient. */
  combiner?: "AND" | "OR";
}

/** An enabled alert policy that e-mails the on-call address with its runbook. */
export function alertPolicy(
  target: AlertTarget,
  suffix: string,
  spec: AlertSpec,
): gcp.monitoring.AlertPolicy {
  return new gcp.monitoring.AlertPolicy(
    `${target.name}-${suffix}`,
    {
      displayName: `${target.domain}: ${spec.title}`,
      severity: spec.severity,
      combiner: spec.combiner ?? "OR",
      notificationChannels: target.channels,
      documentation: { content: spec.runbook, mimeType: "text/markdown" },
      conditions: spec.conditions,
    },
    { parent: target.parent },
  );
}

type Aggregation = gcp.types.input.monitoring.AlertPolicyConditionConditionThresholdAggregation;

export interface Window {
  /** Alignment period, such as "300s". */
  period: string;
  aligner: string;
  reducer?: string;
  groupBy?: string[];
}

function aggregation(window: Window): Aggregation {
  return {
    alignmentPeriod: window.period,
    perSeriesAligner: window.aligner,
    ...(window.reducer ? { crossSeriesReducer: window.reducer } : {}),
    ...(window.groupBy ? { groupByFields: window.groupBy } : {}),
  };
}

export interface ThresholdSpec {
  filter: pulumi.Input<string>;
  /** Omitted for SLO selectors, which Monitoring aligns itself. */
  window?: Window;
  comparison: "COMPARISON_GT" | "COMPARISON_LT";
  value: number;
  /** How long the comparison must hold before an incident opens, such as "300s". */
  duration: string;
}

/** A condition that holds while a metric stays beyond a value. */
export function threshold(displayName: string, spec: ThresholdSpec): Condition {
  return {
    displayName,
    conditionThreshold: {
      filter: spec.filter,
      ...(spec.window ? { aggregations: [aggregation(spec.window)] } : {}),
      comparison: spec.comparison,
      thresholdValue: spec.value,
      duration: spec.duration,
      trigger: { count: 1 },
    },
  };
}

/**
 * A condition that holds while a metric that was reporting sends nothing. Monitoring takes 120s to 24.5h
 * in whole minutes (https://cloud.google.com/monitoring/alerts/types-of-conditions).
 */
export function absence(
  displayName: string,
  filter: pulumi.Input<string>,
  window: Window,
  duration: string,
): Condition {
  return {
    displayName,
    conditionAbsent: { filter, aggregations: [aggregation(window)], duration, trigger: { count: 1 } },
  };
}
