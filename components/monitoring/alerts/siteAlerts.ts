import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { absence, alertPolicy, AlertTarget, threshold } from "./alertPolicy";
import { promqlRequestRate, requestCountFilter, serverErrorCountFilter, uptimeCheckFilter } from "../metrics";

export interface SiteAlertArgs {
  /** Name of the load balancer's URL map, which labels its request metrics. */
  urlMapName: pulumi.Output<string>;
  uptimeCheckId: pulumi.Output<string>;
  qpsAlertThreshold: number;
  /** Share of requests answered with 5xx above which the error alert fires. */
  errorRatioThreshold: number;
  /** Percentage of last week's request rate below which traffic counts as dropped. */
  trafficDropPercent: number;
}

const perMinuteRate = { period: "60s", aligner: "ALIGN_RATE", reducer: "REDUCE_SUM" };

/**
 * What the load balancer's traffic says about the site: too much of it, too many errors, probes failing,
 * and (the commonest sign of an outage that probes from a few regions can miss) too little of it.
 */
export function siteAlerts(target: AlertTarget, args: SiteAlertArgs): gcp.monitoring.AlertPolicy[] {
  const requests = args.urlMapName.apply(requestCountFilter);
  const dropShare = args.trafficDropPercent / 100;
  return [
    alertPolicy(target, "qps-high", {
      severity: "WARNING",
      title: `QPS above ${args.qpsAlertThreshold}`,
      runbook: `The load balancer has served more than ${args.qpsAlertThreshold} requests per second for 5 minutes. Check the dashboard for the source and add web VMs if it is real traffic.`,
      conditions: [
        threshold("Load balancer QPS", {
          filter: requests,
          window: perMinuteRate,
          comparison: "COMPARISON_GT",
          value: args.qpsAlertThreshold,
          duration: "300s",
        }),
      ],
    }),
    alertPolicy(target, "5xx-ratio", {
      severity: "ERROR",
      title: `more than ${args.errorRatioThreshold * 100}% of requests fail with 5xx`,
      runbook:
        "Many requests end in a server error. Check the backend service's health view (how many VMs are healthy), " +
        "the load balancer logs' statusDetails (a 502 from the load balancer itself names the cause), then nginx's " +
        "error log and `journalctl -u foobar-app` on a VM.",
      conditions: [
        {
          displayName: "5xx share of load balancer requests",
          conditionThreshold: {
            filter: args.urlMapName.apply(serverErrorCountFilter),
            aggregations: [
              { alignmentPeriod: "60s", perSeriesAligner: "ALIGN_RATE", crossSeriesReducer: "REDUCE_SUM" },
            ],
            denominatorFilter: requests,
            denominatorAggregations: [
              { alignmentPeriod: "60s", perSeriesAligner: "ALIGN_RATE", crossSeriesReducer: "REDUCE_SUM" },
            ],
            comparison: "COMPARISON_GT",
            thresholdValue: args.errorRatioThreshold,
            duration: "300s",
            trigger: { count: 1 },
          },
        },
      ],
    }),
    alertPolicy(target, "uptime-failed", {
      severity: "CRITICAL",
      title: "uptime check failing",
      runbook:
        "Google's probes cannot load the site over HTTPS from more than one region. Open the uptime check's latest " +
        "results for the error (TLS, timeout or status code), then check the certificate's status, the DNS record and " +
        "the backend service's health.",
      conditions: [
        threshold("Uptime check failures", {
          filter: args.uptimeCheckId.apply(uptimeCheckFilter),
          window: {
            period: "1200s",
            aligner: "ALIGN_NEXT_OLDER",
            reducer: "REDUCE_COUNT_FALSE",
            groupBy: ["resource.label.project_id", "resource.label.host"],
          },
          comparison: "COMPARISON_GT",
          value: 1,
          duration: "60s",
        }),
      ],
    }),
    alertPolicy(target, "traffic-absent", {
      severity: "CRITICAL",
      title: "no requests reach the load balancer",
      runbook:
        "The load balancer has counted no request for 10 minutes, although the uptime check alone sends several a minute. " +
        "Nothing reaches the site: check that the DNS record still points at the load balancer's address, that the " +
        "forwarding rules and the target proxy exist, and that the certificate is ACTIVE (a failed handshake is never counted).",
      conditions: [absence("Load balancer requests", requests, perMinuteRate, "600s")],
    }),
    alertPolicy(target, "traffic-drop", {
      severity: "ERROR",
      title: `traffic below ${args.trafficDropPercent}% of the same time last week`,
      runbook:
        `Requests per second over the last 10 minutes are below ${args.trafficDropPercent}% of the same 10 minutes a week ago. ` +
        "Users may not be reaching the site although it answers the probes: check the DNS record, Cloud Armor's denials " +
        "and rate limiting in the load balancer logs, the 4xx share, and any release of the application.",
      conditions: [
        {
          displayName: "Request rate against last week",
          // A time offset compares traffic with its own weekly pattern rather than a fixed floor; it alerts
          // only on drops, since a spike a week later would be the drop's mirror image
          // (https://cloud.google.com/monitoring/alerts/using-promql).
          conditionPrometheusQueryLanguage: {
            query: args.urlMapName.apply(
              (map) =>
                `${promqlRequestRate(map, "10m")} < ${dropShare} * ${promqlRequestRate(map, "10m", "1w")}`,
            ),
            duration: "600s",
            evaluationInterval: "60s",
          },
        },
      ],
    }),
  ];
}
