import {
  latencyFilter,
  nginxRequestsFilter,
  requestCountFilter,
  serverErrorCountFilter,
  tierCpuFilter,
} from "./metrics";

interface ChartSpec {
  title: string;
  filter: string;
  aligner: string;
  reducer?: string;
  groupBy?: string[];
  unit: string;
}

function chart(spec: ChartSpec): object {
  return {
    title: spec.title,
    xyChart: {
      dataSets: [
        {
          plotType: "LINE",
          timeSeriesQuery: {
            timeSeriesFilter: {
              filter: spec.filter,
              aggregation: {
                alignmentPeriod: "60s",
                perSeriesAligner: spec.aligner,
                ...(spec.reducer ? { crossSeriesReducer: spec.reducer } : {}),
                ...(spec.groupBy ? { groupByFields: spec.groupBy } : {}),
              },
            },
            unitOverride: spec.unit,
          },
        },
      ],
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

/** The Cloud Monitoring dashboard of the site: QPS, latency, errors and the load on each web VM. */
export function renderDashboard(args: { displayName: string; urlMapName: string; webTier: string }): string {
  const { urlMapName, webTier } = args;
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
