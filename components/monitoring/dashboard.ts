import {
  cloudSqlFilter,
  latencyFilter,
  nginxRequestsFilter,
  requestCountFilter,
  serverErrorCountFilter,
  sloBudgetFractionFilter,
  tierCpuFilter,
} from "./metrics";

interface ChartSpec {
  title: string;
  /** One line per filter; a chart of several objectives has several. */
  filter: string | { legend: string; filter: string }[];
  aligner?: string;
  reducer?: string;
  groupBy?: string[];
  unit: string;
}

function chart(spec: ChartSpec): object {
  const lines = typeof spec.filter === "string" ? [{ filter: spec.filter }] : spec.filter;
  const aggregation = spec.aligner
    ? {
        aggregation: {
          alignmentPeriod: "60s",
          perSeriesAligner: spec.aligner,
          ...(spec.reducer ? { crossSeriesReducer: spec.reducer } : {}),
          ...(spec.groupBy ? { groupByFields: spec.groupBy } : {}),
        },
      }
    : {};
  return {
    title: spec.title,
    xyChart: {
      dataSets: lines.map((line) => ({
        plotType: "LINE",
        ...("legend" in line ? { legendTemplate: line.legend } : {}),
        timeSeriesQuery: {
          timeSeriesFilter: { filter: line.filter, ...aggregation },
          unitOverride: spec.unit,
        },
      })),
      yAxis: { scale: "LINEAR", label: spec.unit },
    },
  };
}

/**
 * Writes a value only when it differs from the API's default: the Monitoring API drops default values from
 * the JSON it returns, and the provider would then see a change on every preview.
 */
function unlessDefault<T>(key: string, value: T): Record<string, T> {
  return value === 0 ? {} : { [key]: value };
}

export interface DashboardArgs {
  displayName: string;
  urlMapName: string;
  webTier: string;
  /** Full names of the availability and latency SLOs. */
  slos: { availability: string; latency: string };
  /** `database_id`s of the Cloud SQL instances: the primary first, then the replicas. */
  databaseIds: string[];
}

/**
 * The Cloud Monitoring dashboard of the site: QPS, latency, errors, what is left of the error budgets, the
 * load on each web VM and on each database instance.
 */
export function renderDashboard(args: DashboardArgs): string {
  const { urlMapName, webTier, databaseIds } = args;
  const perInstance = ["resource.label.database_id"];
  const widgets = [
    chart({
      title: "QPS at the load balancer",
      filter: requestCountFilter(urlMapName),
      aligner: "ALIGN_RATE",
      reducer: "REDUCE_SUM",
      unit: "1/s",
    }),
    chart({
      title: "Latency, 95th percentile",
      filter: latencyFilter(urlMapName),
      aligner: "ALIGN_DELTA",
      reducer: "REDUCE_PERCENTILE_95",
      unit: "ms",
    }),
    chart({
      title: "5xx responses per second",
      filter: serverErrorCountFilter(urlMapName),
      aligner: "ALIGN_RATE",
      reducer: "REDUCE_SUM",
      unit: "1/s",
    }),
    chart({
      title: "CPU per web VM",
      filter: tierCpuFilter(webTier),
      aligner: "ALIGN_MEAN",
      reducer: "REDUCE_MEAN",
      groupBy: ["metric.label.instance_name"],
      unit: "10^2.%",
    }),
    chart({
      title: "Requests per second per web VM (nginx)",
      filter: nginxRequestsFilter(webTier),
      aligner: "ALIGN_RATE",
      reducer: "REDUCE_SUM",
      groupBy: ["resource.label.instance_id"],
      unit: "1/s",
    }),
    chart({
      title: "Error budget left (28 days)",
      filter: [
        { legend: "availability", filter: sloBudgetFractionFilter(args.slos.availability) },
        { legend: "latency", filter: sloBudgetFractionFilter(args.slos.latency) },
      ],
      // What the console writes for an SLO chart; the API does not say an SLO selector may go unaligned.
      aligner: "ALIGN_NEXT_OLDER",
      unit: "10^2.%",
    }),
    chart({
      title: "Cloud SQL CPU per instance",
      filter: cloudSqlFilter("cpu/utilization", databaseIds),
      aligner: "ALIGN_MEAN",
      reducer: "REDUCE_MEAN",
      groupBy: perInstance,
      unit: "10^2.%",
    }),
    chart({
      title: "Cloud SQL disk used per instance",
      filter: cloudSqlFilter("disk/utilization", databaseIds),
      aligner: "ALIGN_MEAN",
      reducer: "REDUCE_MEAN",
      groupBy: perInstance,
      unit: "10^2.%",
    }),
    ...(databaseIds.length > 1
      ? [
          chart({
            title: "Replica lag",
            filter: cloudSqlFilter("replication/replica_lag", databaseIds.slice(1)),
            aligner: "ALIGN_MAX",
            reducer: "REDUCE_MAX",
            groupBy: perInstance,
            unit: "s",
          }),
        ]
      : []),
  ];
  return JSON.stringify({
    displayName: args.displayName,
    mosaicLayout: {
      columns: 12,
      tiles: widgets.map((widget, i) => ({
        ...unlessDefault("xPos", (i % 2) * 6),
        ...unlessDefault("yPos", Math.floor(i / 2) * 4),
        width: 6,
        height: 4,
        widget,
      })),
    },
  });
}
