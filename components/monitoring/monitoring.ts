import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";
import { AlertSettings } from "../../config/stackConfig";
import { renderDashboard } from "./dashboard";
import { AlertTarget } from "./alerts/alertPolicy";
import { DatabaseIds, databaseAlerts } from "./alerts/databaseAlerts";
import { siteAlerts } from "./alerts/siteAlerts";
import { vmAlerts } from "./alerts/vmAlerts";
import { siteSlos } from "./slos";

export interface MonitoringArgs {
  /** Host name the uptime check requests over HTTPS. */
  domain: string;
  /** Whether the uptime check validates the site's certificate (off for a self-signed one). */
  validateCertificate: boolean;
  /** Name of the load balancer's URL map, which labels its request metrics. */
  urlMapName: pulumi.Input<string>;
  /** The web VMs: their `tier` label value (from the web tier) and how many the group keeps. */
  web: { tier: string; instanceCount: number };
  /** The Cloud SQL instances, by the `database_id` their metrics carry. */
  database: { ids: pulumi.Input<DatabaseIds>; hasReplicas: boolean };
  /** Requests per second above which the QPS alert fires. */
  qpsAlertThreshold: number;
  /** Share of requests answered with 5xx above which the error alert fires. Default 0.05. */
  errorRatioThreshold?: number;
  /** The objectives and the other alerts' thresholds. */
  thresholds: AlertSettings;
  /** Address the alerts are sent to. */
  alertEmail: string;
  /** Project the uptime check and dashboard belong to. */
  project: string;
}

/**
 * What tells people the site is in trouble: an uptime check from Google's probes around the world,
 * availability and latency objectives with burn-rate alerts, alerts on traffic (too much, too little,
 * errors), on the web VMs and their monitoring agent, and on every Cloud SQL instance, all by e-mail; and a
 * dashboard of it all.
 */
export class Monitoring extends pulumi.ComponentResource {
  public readonly dashboardUrl: pulumi.Output<string>;
  public readonly uptimeCheckId: pulumi.Output<string>;
  public readonly alertPolicyNames: pulumi.Output<string[]>;
  /** Full names of the availability and latency SLOs. */
  public readonly sloNames: pulumi.Output<{ availability: string; latency: string }>;

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("foobar:monitoring:Monitoring", name, {}, opts);
    const urlMapName = pulumi.output(args.urlMapName);
    const databaseIds = pulumi.output(args.database.ids);
    const t = args.thresholds;

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

    const target: AlertTarget = { parent: this, name, domain: args.domain, channels: [email.id] };
    const slos = siteSlos(target, {
      urlMapName,
      availabilityGoal: t.sloAvailabilityGoal,
      latencyGoal: t.sloLatencyGoal,
      latencyMs: t.sloLatencyMs,
    });
    const alerts = [
      ...siteAlerts(target, {
        urlMapName,
        uptimeCheckId: uptime.uptimeCheckId,
        qpsAlertThreshold: args.qpsAlertThreshold,
        errorRatioThreshold: args.errorRatioThreshold ?? 0.05,
        trafficDropPercent: t.trafficDropPercent,
      }),
      ...slos.alerts,
      ...vmAlerts(target, {
        webTier: args.web.tier,
        instanceCount: args.web.instanceCount,
        memoryPercent: t.vmMemoryPercent,
        diskPercent: t.vmDiskPercent,
      }),
      ...databaseAlerts(target, {
        ids: databaseIds,
        hasReplicas: args.database.hasReplicas,
        cpuPercent: t.dbCpuPercent,
        diskPercent: t.dbDiskPercent,
        replicaLagSeconds: t.dbReplicaLagSeconds,
      }),
    ];

    this.sloNames = pulumi
      .all([slos.availability.name, slos.latency.name])
      .apply(([availability, latency]) => ({ availability, latency }));
    const dashboard = new gcp.monitoring.Dashboard(
      `${name}-dashboard`,
      {
        dashboardJson: pulumi.all([urlMapName, this.sloNames, databaseIds]).apply(([map, sloNames, ids]) =>
          renderDashboard({
            displayName: `${args.domain} web stack`,
            urlMapName: map,
            webTier: args.web.tier,
            slos: sloNames,
            databaseIds: [ids.primary, ...ids.replicas],
          }),
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
    this.alertPolicyNames = pulumi.all(alerts.map((alert) => alert.name));
    this.registerOutputs({
      dashboardUrl: this.dashboardUrl,
      uptimeCheckId: this.uptimeCheckId,
      alertPolicyNames: this.alertPolicyNames,
      sloNames: this.sloNames,
    });
  }
}
