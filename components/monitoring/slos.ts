import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { alertPolicy, AlertTarget, threshold } from "./alerts/alertPolicy";
import { latencyFilter, requestCountFilter, serverErrorCountFilter, sloBurnRateFilter } from "./metrics";

export interface SiteSloArgs {
  urlMapName: pulumi.Output<string>;
  /** Share of requests (0-1) answered without a 5xx. */
  availabilityGoal: number;
  /** Share of requests (0-1) answered within `latencyMs`. */
  latencyGoal: number;
  latencyMs: number;
}

/** The objectives' period: four whole weeks, so every period holds the same weekdays. */
export const sloPeriodDays = 28;

/**
 * Burn-rate alerts in two windows each, after the SRE workbook's multiwindow scheme and Google's starting
 * points (10x over a short lookback pages, 2x over a long one warns:
 * https://cloud.google.com/stackdriver/docs/solutions/slo-monitoring/alerting-on-budget-burn-rate). The short
 * window, a twelfth of the long one, lets the alert close soon after the burning stops.
 */
export const burnRateAlerts = [
  { speed: "fast", severity: "CRITICAL", burnRate: 10, long: "3600s", short: "300s" },
  { speed: "slow", severity: "WARNING", burnRate: 2, long: "86400s", short: "7200s" },
] as const;

/** "3600s" → "1 h", "300s" → "5 min". */
function inWords(lookback: string): string {
  const seconds = Number.parseInt(lookback, 10);
  return seconds % 3600 === 0 ? `${seconds / 3600} h` : `${seconds / 60} min`;
}

function budgetShare(burnRate: number, lookback: string): string {
  const hours = Number.parseInt(lookback, 10) / 3600;
  return `${Math.round(((burnRate * hours) / (sloPeriodDays * 24)) * 1000) / 10}%`;
}

export interface SiteSlos {
  availability: gcp.monitoring.Slo;
  latency: gcp.monitoring.Slo;
  alerts: gcp.monitoring.AlertPolicy[];
}

/** The site's service-level objectives, measured at the load balancer, with their burn-rate alerts. */
export function siteSlos(target: AlertTarget, args: SiteSloArgs): SiteSlos {
  const child = { parent: target.parent };
  // Request-based SLIs need a service to hang from; the load balancer is not one Monitoring detects, so
  // the site is a custom service. Monitoring assigns its ID.
  const service = new gcp.monitoring.CustomService(
    `${target.name}-service`,
    { displayName: target.domain },
    child,
  );
  const percent = (goal: number) => `${Math.round(goal * 10000) / 100}%`;
  const availability = new gcp.monitoring.Slo(
    `${target.name}-slo-availability`,
    {
      service: service.serviceId,
      sloId: "availability",
      displayName: `${percent(args.availabilityGoal)} of requests without a server error`,
      goal: args.availabilityGoal,
      rollingPeriodDays: sloPeriodDays,
      requestBasedSli: {
        // Exactly two of good, bad and total may be given; bad and total are the alerts' own filters.
        goodTotalRatio: {
          badServiceFilter: args.urlMapName.apply(serverErrorCountFilter),
          totalServiceFilter: args.urlMapName.apply(requestCountFilter),
        },
      },
    },
    child,
  );
  const latency = new gcp.monitoring.Slo(
    `${target.name}-slo-latency`,
    {
      service: service.serviceId,
      sloId: "latency",
      displayName: `${percent(args.latencyGoal)} of requests within ${args.latencyMs} ms`,
      goal: args.latencyGoal,
      rollingPeriodDays: sloPeriodDays,
      requestBasedSli: {
        // total_latencies is a DELTA distribution in ms, which is what a distribution cut reads.
        distributionCut: {
          distributionFilter: args.urlMapName.apply(latencyFilter),
          range: { max: args.latencyMs },
        },
      },
    },
    child,
  );
  const alerts = [
    ...burnAlerts(target, "availability", availability, "answered with a server error"),
    ...burnAlerts(target, "latency", latency, `slower than ${args.latencyMs} ms`),
  ];
  return { availability, latency, alerts };
}

function burnAlerts(
  target: AlertTarget,
  objective: string,
  slo: gcp.monitoring.Slo,
  badRequests: string,
): gcp.monitoring.AlertPolicy[] {
  return burnRateAlerts.map((alert) =>
    alertPolicy(target, `slo-${objective}-${alert.speed}-burn`, {
      severity: alert.severity,
      title: `${objective} error budget burning ${alert.burnRate}x too fast`,
      runbook:
        `Requests ${badRequests} are using the ${objective} objective's error budget ${alert.burnRate} times faster ` +
        `than it lasts ${sloPeriodDays} days: ${budgetShare(alert.burnRate, alert.long)} of the budget in the last ` +
        `${inWords(alert.long)}, and still burning. Check the dashboard's error and latency ` +
        "charts, the backends' health, recent releases and the database alerts.",
      combiner: "AND",
      conditions: [alert.long, alert.short].map((lookback) =>
        threshold(`Burn rate over ${inWords(lookback)}`, {
          filter: slo.name.apply((name) => sloBurnRateFilter(name, lookback)),
          comparison: "COMPARISON_GT",
          value: alert.burnRate,
          duration: "0s",
        }),
      ),
    }),
  );
}
