import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { renderDashboard } from "./dashboard";
import { requestCountFilter, serverErrorCountFilter, uptimeCheckFilter } from "./metrics";

export interface MonitoringArgs {
  /** Host name the uptime check requests over HTTPS. */
  domain: string;
  /** Whether the uptime check validates the site's certificate (off for a self-signed one). */
  validateCertificate: boolean;
  /** Name of the load balancer's URL map, which labels its request metrics. */
  urlMapName: pulumi.Input<string>;
  /** Label value (`tier`) of the web VMs, for the per-VM charts (from the web tier). */
  webTier: string;
  /** Requests per second above which the QPS alert fires. */
  qpsAlertThreshold: number;
  /** Share of requests answered with 5xx above which the error alert fires. Default 0.05. */
  errorRatioThreshold?: number;
  /** Address the alerts are sent to. */
  alertEmail: string;
  /** Project the uptime check and dashboard belong to. */
  project: string;
}

/**
 * What tells people the site is in trouble: an uptime check from Google's probes around the world, a
 * dashboard with QPS, latency, errors and per-VM load, and alerts for high QPS, a high 5xx ratio and failed
 * uptime checks, sent by e-mail.
 */
export class Monitoring extends pulumi.ComponentResource {
  public readonly dashboardUrl: pulumi.Output<string>;
  public readonly uptimeCheckId: pulumi.Output<string>;
  public readonly alertPolicyNames: pulumi.Output<string[]>;

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("foobar:monitoring:Monitoring", name, {}, opts);
    const webTier = args.webTier;
    const errorRatioThreshold = args.errorRatioThreshold ?? 0.05;

    const email = new gcp.monitoring.NotificationChannel(
      `${name}-email`,
      {
        displayName: `On-call e-mail for ${args.domain}`,
        type: "email",
        labels: { email_address: args.alertEmail },
      },
      { parent: this },
    );

    const uptime = new gcp.monitoring.UptimeCheckConfig(
      `${name}-uptime`,
      {
        displayName: `${args.domain} over HTTPS`,
        period: "60s",
        timeout: "10s",
        monitoredResource: { type: "uptime_url", labels: { project_id: args.project, host: args.domain } },
        httpCheck: {
          path: "/",
          port: 443,
          useSsl: true,
          validateSsl: args.validateCertificate,
          requestMethod: "GET",
          acceptedResponseStatusCodes: [{ statusClass: "STATUS_CLASS_2XX" }],
        },
      },
      { parent: this },
    );

    const notify = { notificationChannels: [email.id], combiner: "OR", severity: "WARNING" };
    const perMinuteRate = {
      alignmentPeriod: "60s",
      perSeriesAligner: "ALIGN_RATE",
      crossSeriesReducer: "REDUCE_SUM",
    };

    const qpsAlert = new gcp.monitoring.AlertPolicy(
      `${name}-qps-high`,
      {
        ...notify,
        displayName: `${args.domain}: QPS above ${args.qpsAlertThreshold}`,
        documentation: {
          content: `The load balancer has served more than ${args.qpsAlertThreshold} requests per second for 5 minutes. Check the dashboard for the source and add web VMs if it is real traffic.`,
          mimeType: "text/markdown",
        },
        conditions: [
          {
            displayName: "Load balancer QPS",
            conditionThreshold: {
              filter: pulumi.output(args.urlMapName).apply(requestCountFilter),
              aggregations: [perMinuteRate],
              comparison: "COMPARISON_GT",
              thresholdValue: args.qpsAlertThreshold,
              duration: "300s",
              trigger: { count: 1 },
            },
          },
        ],
      },
      { parent: this },
    );

    const errorAlert = new gcp.monitoring.AlertPolicy(
      `${name}-5xx-ratio`,
      {
        ...notify,
        severity: "ERROR",
        displayName: `${args.domain}: more than ${errorRatioThreshold * 100}% of requests fail with 5xx`,
        documentation: {
          content: "Many requests end in a server error. Check the web VMs' health and nginx error logs.",
          mimeType: "text/markdown",
        },
        conditions: [
          {
            displayName: "5xx share of load balancer requests",
            conditionThreshold: {
              filter: pulumi.output(args.urlMapName).apply(serverErrorCountFilter),
              aggregations: [perMinuteRate],
              denominatorFilter: pulumi.output(args.urlMapName).apply(requestCountFilter),
              denominatorAggregations: [perMinuteRate],
              comparison: "COMPARISON_GT",
              thresholdValue: errorRatioThreshold,
              duration: "300s",
              trigger: { count: 1 },
            },
          },
        ],
      },
      { parent: this },
    );

    const uptimeAlert = new gcp.monitoring.AlertPolicy(
      `${name}-uptime-failed`,
      {
        ...notify,
        severity: "CRITICAL",
        displayName: `${args.domain}: uptime check failing`,
        documentation: {
          content: "Google's probes cannot load the site over HTTPS from more than one region.",
          mimeType: "text/markdown",
        },
        conditions: [
          {
            displayName: "Uptime check failures",
            conditionThreshold: {
              filter: uptime.uptimeCheckId.apply(uptimeCheckFilter),
              aggregations: [
                {
                  alignmentPeriod: "1200s",
                  perSeriesAligner: "ALIGN_NEXT_OLDER",
                  crossSeriesReducer: "REDUCE_COUNT_FALSE",
                  groupByFields: ["resource.label.project_id", "resource.label.host"],
                },
              ],
              comparison: "COMPARISON_GT",
              thresholdValue: 1,
              duration: "60s",
              trigger: { count: 1 },
            },
          },
        ],
      },
      { parent: this },
    );

    const dashboard = new gcp.monitoring.Dashboard(
      `${name}-dashboard`,
      {
        dashboardJson: pulumi
          .output(args.urlMapName)
          .apply((urlMapName) =>
            renderDashboard({ displayName: `${args.domain} web stack`, urlMapName, webTier }),
          ),
      },
      { parent: this },
    );

    // The console addresses dashboards by the last segment of their ID (projects/<number>/dashboards/<id>).
    this.dashboardUrl = dashboard.id.apply(
      (id) =>
        `https://console.cloud.google.com/monitoring/dashboards/builder/${id.split("/").pop()}?project=${args.project}`,
    );
    this.uptimeCheckId = uptime.uptimeCheckId;
    this.alertPolicyNames = pulumi.all([qpsAlert.name, errorAlert.name, uptimeAlert.name]);
    this.registerOutputs({
      dashboardUrl: this.dashboardUrl,
      uptimeCheckId: this.uptimeCheckId,
      alertPolicyNames: this.alertPolicyNames,
    });
  }
}
