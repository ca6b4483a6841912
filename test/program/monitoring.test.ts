import { strict as assert } from "assert";
import { runOffline, OfflineRun, PlannedResource } from "../../tools/offline/mockRun";
import { named, ofType, onlyOfType } from "../helpers";
import { renderDashboard } from "../../components/monitoring/dashboard";
import { dashboardJsonAsReturned } from "../../tools/sim/gcp/monitoring";
import { burnRateAlerts } from "../../components/monitoring/slos";
import { validateConfig } from "../../config/validate";
import { readStackConfig } from "../../config/stackFiles";
import * as path from "path";

type Condition = Record<string, Record<string, unknown> & { aggregations?: Record<string, unknown>[] }>;

const conditionsOf = (resource: PlannedResource) => resource.props.conditions as Condition[];
const thresholdOf = (resource: PlannedResource, i = 0) => conditionsOf(resource)[i].conditionThreshold;

/** What identifies an alert's behaviour, in one comparable line per condition. */
function summary(resource: PlannedResource): string[] {
  return conditionsOf(resource).map((c) => {
    const t = c.conditionThreshold ?? c.conditionAbsent;
    const kind = c.conditionThreshold ? "threshold" : c.conditionAbsent ? "absent" : "promql";
    const a = t?.aggregations?.[0];
    const window = a
      ? [a.alignmentPeriod, a.perSeriesAligner, a.crossSeriesReducer].filter(Boolean).join("/")
      : "-";
    return [kind, window, t?.comparison ?? "", t?.thresholdValue ?? "", t?.duration ?? ""].join(" ");
  });
}

describe("monitoring under the dev stack", () => {
  let dev: OfflineRun;
  let urlMapName: string;
  let dbIds: string[];
  before(async () => {
    dev = await runOffline({ stack: "dev" });
    urlMapName = String(named(dev.resources, "foobar-lb-urlmap").props.name);
    dbIds = ["foobar-db-primary", "foobar-db-replica-1"].map(
      (name) => `foobar-web-dev:${named(dev.resources, name).props.name}`,
    );
  });
  const lbRequests = () =>
    `metric.type="loadbalancing.googleapis.com/https/request_count" resource.type="https_lb_rule" resource.label.url_map_name="${urlMapName}"`;

  it("checks https://<domain>/ and alerts on QPS, 5xx ratio and uptime by e-mail", () => {
    const channel = onlyOfType(dev.resources, "gcp:monitoring/notificationChannel:NotificationChannel");
    assert.deepEqual(
      [channel.props.type, channel.props.labels],
      ["email", { email_address: "ops@foobar.com" }],
    );
    const uptime = onlyOfType(dev.resources, "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig").props;
    assert.deepEqual(uptime.monitoredResource, {
      type: "uptime_url",
      labels: { project_id: "foobar-web-dev", host: "dev.foobar.com" },
    });
    assert.deepEqual(uptime.httpCheck, {
      path: "/",
      port: 443,
      useSsl: true,
      validateSsl: false,
      requestMethod: "GET",
      acceptedResponseStatusCodes: [{ statusClass: "STATUS_CLASS_2XX" }],
    });
    const qps = thresholdOf(named(dev.resources, "foobar-mon-qps-high"));
    assert.equal(qps.filter, lbRequests());
    assert.deepEqual([qps.comparison, qps.thresholdValue], ["COMPARISON_GT", 50]);
    const ratio = thresholdOf(named(dev.resources, "foobar-mon-5xx-ratio"));
    assert.equal(ratio.filter, `${lbRequests()} metric.label.response_code_class="500"`);
    assert.equal(ratio.denominatorFilter, qps.filter);
    assert.equal(ratio.thresholdValue, 0.05);
    assert.deepEqual(summary(named(dev.resources, "foobar-mon-qps-high")), [
      "threshold 60s/ALIGN_RATE/REDUCE_SUM COMPARISON_GT 50 300s",
    ]);
    assert.deepEqual(summary(named(dev.resources, "foobar-mon-5xx-ratio")), [
      "threshold 60s/ALIGN_RATE/REDUCE_SUM COMPARISON_GT 0.05 300s",
    ]);
    assert.deepEqual(summary(named(dev.resources, "foobar-mon-uptime-failed")), [
      "threshold 1200s/ALIGN_NEXT_OLDER/REDUCE_COUNT_FALSE COMPARISON_GT 1 60s",
    ]);
    const failing = thresholdOf(named(dev.resources, "foobar-mon-uptime-failed"));
    assert.match(String(failing.filter), new RegExp(`metric\\.label\\.check_id="${uptime.uptimeCheckId}"$`));
  });

  it("every alert is enabled, e-mails on-call with a runbook, and says which site it is about", () => {
    const channel = onlyOfType(dev.resources, "gcp:monitoring/notificationChannel:NotificationChannel");
    const alerts = ofType(dev.resources, "gcp:monitoring/alertPolicy:AlertPolicy");
    assert.equal(alerts.length, 17);
    for (const alert of alerts) {
      assert.deepEqual(alert.props.notificationChannels, [channel.props.id], alert.name);
      assert.equal(alert.props.enabled, true, alert.name);
      assert.match(String(alert.props.displayName), /^dev\.foobar\.com: /, alert.name);
      const docs = alert.props.documentation as Record<string, string>;
      assert.equal(docs.mimeType, "text/markdown", alert.name);
      assert.ok(docs.content.length > 80, `${alert.name} explains what to check`);
    }
    const bySeverity = (severity: string) =>
      alerts
        .filter((a) => a.props.severity === severity)
        .map((a) => a.name.replace("foobar-mon-", ""))
        .sort();
    assert.deepEqual(bySeverity("CRITICAL"), [
      "db-down",
      "slo-availability-fast-burn",
      "slo-latency-fast-burn",
      "traffic-absent",
      "uptime-failed",
    ]);
  });

  it("measures availability and latency objectives over 28 days at the load balancer, at dev's targets", () => {
    const service = onlyOfType(dev.resources, "gcp:monitoring/customService:CustomService");
    assert.equal(service.props.displayName, "dev.foobar.com");
    const availability = named(dev.resources, "foobar-mon-slo-availability").props;
    assert.deepEqual(
      [availability.service, availability.sloId, availability.goal, availability.rollingPeriodDays],
      [service.props.serviceId, "availability", 0.99, 28],
    );
    assert.deepEqual(availability.requestBasedSli, {
      goodTotalRatio: {
        badServiceFilter: `${lbRequests()} metric.label.response_code_class="500"`,
        totalServiceFilter: lbRequests(),
      },
    });
    const latency = named(dev.resources, "foobar-mon-slo-latency").props;
    assert.deepEqual([latency.sloId, latency.goal, latency.rollingPeriodDays], ["latency", 0.95, 28]);
    assert.deepEqual(latency.requestBasedSli, {
      distributionCut: {
        distributionFilter: `metric.type="loadbalancing.googleapis.com/https/total_latencies" resource.type="https_lb_rule" resource.label.url_map_name="${urlMapName}"`,
        range: { max: 1000 },
      },
    });
  });

  it("pages on a fast error-budget burn and warns on a slow one, each over a long and a short window", () => {
    for (const objective of ["availability", "latency"]) {
      const slo = String(named(dev.resources, `foobar-mon-slo-${objective}`).props.name);
      const expected = [
        { speed: "fast", severity: "CRITICAL", rate: 10, windows: ["3600s", "300s"] },
        { speed: "slow", severity: "WARNING", rate: 2, windows: ["86400s", "7200s"] },
      ];
      for (const { speed, severity, rate, windows } of expected) {
        const alert = named(dev.resources, `foobar-mon-slo-${objective}-${speed}-burn`);
        assert.deepEqual([alert.props.combiner, alert.props.severity], ["AND", severity]);
        assert.deepEqual(
          conditionsOf(alert).map((c) => c.conditionThreshold),
          windows.map((window) => ({
            filter: `select_slo_burn_rate("${slo}", "${window}")`,
            comparison: "COMPARISON_GT",
            thresholdValue: rate,
            duration: "0s",
            trigger: { count: 1 },
          })),
        );
      }
    }
    const runbook = (
      named(dev.resources, "foobar-mon-slo-availability-fast-burn").props.documentation as {
        content: string;
      }
    ).content;
    assert.match(runbook, /10 times faster than it lasts 28 days: 1\.5% of the budget in the last 1 h/);
  });

  it("alerts when traffic stops, and when it falls below half of the same time last week", () => {
    const absent = named(dev.resources, "foobar-mon-traffic-absent");
    assert.deepEqual(conditionsOf(absent)[0].conditionAbsent, {
      filter: lbRequests(),
      aggregations: [
        { alignmentPeriod: "60s", perSeriesAligner: "ALIGN_RATE", crossSeriesReducer: "REDUCE_SUM" },
      ],
      duration: "600s",
      trigger: { count: 1 },
    });
    const drop = named(dev.resources, "foobar-mon-traffic-drop");
    const rate = (offset: string) =>
      `sum(rate(loadbalancing_googleapis_com:https_request_count{monitored_resource="https_lb_rule",url_map_name="${urlMapName}"}[10m]${offset}))`;
    assert.deepEqual(conditionsOf(drop)[0].conditionPrometheusQueryLanguage, {
      query: `${rate("")} < 0.5 * ${rate(" offset 1w")}`,
      duration: "600s",
      evaluationInterval: "60s",
    });
  });

  it("watches the web VMs' agent, memory and disk by their tier label", () => {
    const vmMetric = (suffix: string) =>
      `metric.type="agent.googleapis.com/${suffix}" resource.type="gce_instance" metadata.user_labels.tier="web"`;
    const silent = named(dev.resources, "foobar-mon-vm-agent-silent");
    const heartbeat = `${vmMetric("agent/uptime")} metric.label.version=starts_with("google-cloud-ops-agent-metrics")`;
    assert.deepEqual(
      conditionsOf(silent).map((c) => (c.conditionAbsent ?? c.conditionThreshold).filter),
      [heartbeat, heartbeat],
    );
    assert.deepEqual(summary(silent), [
      "absent 300s/ALIGN_RATE/REDUCE_COUNT   600s",
      "threshold 300s/ALIGN_RATE/REDUCE_COUNT COMPARISON_LT 3 900s",
    ]);
    const memory = named(dev.resources, "foobar-mon-vm-memory-high");
    assert.equal(thresholdOf(memory).filter, `${vmMetric("memory/percent_used")} metric.label.state="used"`);
    assert.deepEqual(summary(memory), ["threshold 300s/ALIGN_MEAN COMPARISON_GT 90 600s"]);
    const disk = named(dev.resources, "foobar-mon-vm-disk-full");
    assert.equal(thresholdOf(disk).filter, `${vmMetric("disk/percent_used")} metric.label.state="used"`);
    assert.deepEqual(summary(disk), ["threshold 300s/ALIGN_MEAN COMPARISON_GT 90 300s"]);
  });

  it("watches every Cloud SQL instance by its database_id, and replication on the replica only", () => {
    const sql = (suffix: string, ids: string[]) =>
      `metric.type="cloudsql.googleapis.com/database/${suffix}" resource.type="cloudsql_database" resource.label.database_id=` +
      (ids.length === 1 ? `"${ids[0]}"` : `one_of(${ids.map((id) => `"${id}"`).join(", ")})`);
    const down = named(dev.resources, "foobar-mon-db-down");
    assert.deepEqual(
      conditionsOf(down).map((c) => (c.conditionThreshold ?? c.conditionAbsent).filter),
      [sql("up", dbIds), `${sql("instance_state", dbIds)} metric.label.state="FAILED"`, sql("up", dbIds)],
    );
    assert.deepEqual(summary(down), [
      "threshold 60s/ALIGN_MEAN COMPARISON_LT 1 300s",
      "threshold 60s/ALIGN_FRACTION_TRUE COMPARISON_GT 0 60s",
      "absent 60s/ALIGN_MEAN   600s",
    ]);
    const cpu = named(dev.resources, "foobar-mon-db-cpu-high");
    assert.equal(thresholdOf(cpu).filter, sql("cpu/utilization", dbIds));
    assert.deepEqual(summary(cpu), ["threshold 300s/ALIGN_MEAN COMPARISON_GT 0.9 900s"]);
    const disk = named(dev.resources, "foobar-mon-db-disk-full");
    assert.equal(thresholdOf(disk).filter, sql("disk/utilization", dbIds));
    assert.deepEqual(summary(disk), ["threshold 300s/ALIGN_MEAN COMPARISON_GT 0.9 300s"]);
    const replication = named(dev.resources, "foobar-mon-db-replication-stopped");
    assert.deepEqual(
      conditionsOf(replication).map((c) => c.conditionThreshold.filter),
      ["slave_io_running_state", "slave_sql_running_state"].map(
        (m) => `${sql(`mysql/replication/${m}`, dbIds.slice(1))} metric.label.state="Yes"`,
      ),
    );
    assert.deepEqual(summary(replication), [
      "threshold 300s/ALIGN_FRACTION_TRUE COMPARISON_LT 0.5 300s",
      "threshold 300s/ALIGN_FRACTION_TRUE COMPARISON_LT 0.5 300s",
    ]);
    const lag = named(dev.resources, "foobar-mon-db-replica-lag");
    assert.equal(thresholdOf(lag).filter, sql("replication/replica_lag", dbIds.slice(1)));
    assert.deepEqual(summary(lag), ["threshold 60s/ALIGN_MAX COMPARISON_GT 60 300s"]);
  });

  it("the dashboard charts traffic, the error budgets, the VMs and the database", () => {
    const dashboard = onlyOfType(dev.resources, "gcp:monitoring/dashboard:Dashboard");
    const layout = JSON.parse(String(dashboard.props.dashboardJson));
    const widgets = layout.mosaicLayout.tiles.map((t: { widget: Record<string, unknown> }) => t.widget);
    assert.deepEqual(
      widgets.map((w: { title: string }) => w.title),
      [
        "QPS at the load balancer",
        "Latency, 95th percentile",
        "5xx responses per second",
        "CPU per web VM",
        "Requests per second per web VM (nginx)",
        "Error budget left (28 days)",
        "Cloud SQL CPU per instance",
        "Cloud SQL disk used per instance",
        "Replica lag",
      ],
    );
    const filters = (i: number) =>
      widgets[i].xyChart.dataSets.map(
        (d: { timeSeriesQuery: { timeSeriesFilter: { filter: string } } }) =>
          d.timeSeriesQuery.timeSeriesFilter,
      );
    assert.deepEqual(filters(0)[0].aggregation.perSeriesAligner, "ALIGN_RATE");
    assert.deepEqual(
      filters(5),
      ["availability", "latency"].map((o) => ({
        filter: `select_slo_budget_fraction("${named(dev.resources, `foobar-mon-slo-${o}`).props.name}")`,
        aggregation: { alignmentPeriod: "60s", perSeriesAligner: "ALIGN_NEXT_OLDER" },
      })),
    );
    assert.match(filters(6)[0].filter, new RegExp(`database_id=one_of\\("${dbIds[0]}", "${dbIds[1]}"\\)$`));
    assert.match(
      filters(8)[0].filter,
      new RegExp(`replica_lag" resource.type="cloudsql_database" resource.label.database_id="${dbIds[1]}"$`),
    );
  });

  it("the dashboard's JSON is what the Monitoring API returns, so a preview after up finds no change", () => {
    const sent = renderDashboard({
      displayName: "x",
      urlMapName: "map",
      webTier: "web",
      slos: { availability: "a", latency: "l" },
      databaseIds: ["p:primary", "p:replica"],
    });
    assert.equal(dashboardJsonAsReturned(sent), sent);
    const layout = JSON.parse(sent);
    assert.deepEqual(
      layout.mosaicLayout.tiles.map((t: Record<string, number>) => [t.xPos, t.yPos]),
      [
        [undefined, undefined],
        [6, undefined],
        [undefined, 4],
        [6, 4],
        [undefined, 8],
        [6, 8],
        [undefined, 12],
        [6, 12],
        [undefined, 16],
      ],
    );
    // What the API would drop, the check catches.
    assert.notEqual(dashboardJsonAsReturned('{"a":{"xPos":0,"b":[]}}'), '{"a":{"xPos":0,"b":[]}}');
    assert.equal(dashboardJsonAsReturned('{"a":{"xPos":0,"b":[],"c":"","d":false,"e":1}}'), '{"a":{"e":1}}');
  });
});

describe("burn-rate thresholds", () => {
  it("are reachable at the lowest target the config accepts: a burn rate cannot exceed 1 / (1 - goal)", () => {
    const lowest = validateConfig({
      ...readStackConfig(path.resolve(__dirname, "../.."), "dev"),
      "foobar-web:sloAvailabilityPercent": "95",
    }).alerts.sloAvailabilityGoal;
    assert.equal(lowest, 0.95);
    for (const alert of burnRateAlerts) {
      assert.ok(alert.burnRate < 1 / (1 - lowest), `${alert.speed} burn at ${alert.burnRate}x`);
    }
    // At 95% a fast burn at 10x means half the requests failing; at 99.9%, one in a hundred.
  });
});

describe("monitoring with other settings", () => {
  it("takes the objectives and thresholds from the stack's config", async () => {
    const run = await runOffline({
      stack: "dev",
      overrides: {
        sloAvailabilityPercent: "99.5",
        sloLatencyPercent: "99",
        sloLatencyMs: "300",
        trafficDropPercent: "30",
        vmMemoryAlertPercent: "85",
        vmDiskAlertPercent: "80",
        dbCpuAlertPercent: "75",
        dbDiskAlertPercent: "70",
        dbReplicaLagAlertSeconds: "120",
      },
    });
    const props = (name: string) => named(run.resources, `foobar-mon-${name}`).props;
    assert.equal(props("slo-availability").goal, 0.995);
    assert.equal(props("slo-latency").goal, 0.99);
    assert.deepEqual(
      (props("slo-latency").requestBasedSli as { distributionCut: { range: unknown } }).distributionCut.range,
      { max: 300 },
    );
    const query = (props("traffic-drop").conditions as Condition[])[0].conditionPrometheusQueryLanguage.query;
    assert.match(String(query), /\) < 0\.3 \* sum\(/);
    const value = (name: string) =>
      (props(name).conditions as Condition[])[0].conditionThreshold.thresholdValue;
    assert.deepEqual(
      ["vm-memory-high", "vm-disk-full", "db-cpu-high", "db-disk-full", "db-replica-lag"].map(value),
      [85, 80, 0.75, 0.7, 120],
    );
    assert.equal(
      props("vm-agent-silent").displayName,
      "dev.foobar.com: web VMs' monitoring agent not reporting",
    );
  });

  it("prod watches both replicas and expects three agents", async () => {
    const prod = await runOffline({ stack: "prod" });
    const replicas = ofType(prod.resources, "gcp:sql/databaseInstance:DatabaseInstance")
      .filter((r) => r.props.masterInstanceName)
      .map((r) => `"foobar-web-prod:${r.props.name}"`);
    assert.equal(replicas.length, 2);
    const lag = named(prod.resources, "foobar-mon-db-replica-lag");
    assert.match(String(thresholdOf(lag).filter), new RegExp(`one_of\\(${replicas.join(", ")}\\)$`));
    assert.equal(thresholdOf(named(prod.resources, "foobar-mon-vm-agent-silent"), 1).thresholdValue, 3);
  });

  it("without replicas there is no replication alert or replica lag chart", async () => {
    const run = await runOffline({ stack: "dev", overrides: { dbReplicaCount: "0", webInstanceCount: "5" } });
    const names = ofType(run.resources, "gcp:monitoring/alertPolicy:AlertPolicy").map((a) => a.name);
    assert.equal(names.length, 15);
    assert.ok(
      !names.includes("foobar-mon-db-replication-stopped") && !names.includes("foobar-mon-db-replica-lag"),
    );
    const layout = JSON.parse(
      String(onlyOfType(run.resources, "gcp:monitoring/dashboard:Dashboard").props.dashboardJson),
    );
    assert.equal(layout.mosaicLayout.tiles.length, 8);
    assert.equal(thresholdOf(named(run.resources, "foobar-mon-vm-agent-silent"), 1).thresholdValue, 5);
  });
});
