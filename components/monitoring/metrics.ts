/**
 * Cloud Monitoring filters for the site's metrics, shared by the dashboard, the SLOs and the alert policies.
 * Metric types, kinds and labels: Google Cloud metrics (https://cloud.google.com/monitoring/api/metrics_gcp:
 * `loadbalancing`, `compute`, `cloudsql`) and the Ops Agent's (https://cloud.google.com/monitoring/api/metrics_opsagent).
 * The load balancer's `response_code_class` is the class as a number: 200, 300, 400, 500.
 */

const lbRequests =
  'metric.type="loadbalancing.googleapis.com/https/request_count" resource.type="https_lb_rule"';

/** Requests answered by the load balancer for one URL map: the site's QPS once aligned as a rate. */
export function requestCountFilter(urlMapName: string): string {
  return `${lbRequests} resource.label.url_map_name="${urlMapName}"`;
}

/** The same requests, only those answered with a 5xx status. */
export function serverErrorCountFilter(urlMapName: string): string {
  return `${requestCountFilter(urlMapName)} metric.label.response_code_class="500"`;
}

/** End-to-end latency seen by the load balancer for one URL map. */
export function latencyFilter(urlMapName: string): string {
  return `metric.type="loadbalancing.googleapis.com/https/total_latencies" resource.type="https_lb_rule" resource.label.url_map_name="${urlMapName}"`;
}

/** CPU utilisation of the VMs labelled as the given tier. */
export function tierCpuFilter(tier: string): string {
  return `metric.type="compute.googleapis.com/instance/cpu/utilization" resource.type="gce_instance" metadata.user_labels.tier="${tier}"`;
}

/** Requests nginx served on each VM, as reported by the Ops Agent's nginx receiver. */
export function nginxRequestsFilter(tier: string): string {
  return `metric.type="workload.googleapis.com/nginx.requests" resource.type="gce_instance" metadata.user_labels.tier="${tier}"`;
}

/** Pass/fail results of one uptime check. */
export function uptimeCheckFilter(uptimeCheckId: string): string {
  return `metric.type="monitoring.googleapis.com/uptime_check/check_passed" resource.type="uptime_url" metric.label.check_id="${uptimeCheckId}"`;
}

/**
 * A resource-label match against several values with the filter language's `one_of`
 * (https://cloud.google.com/monitoring/api/v3/filters), or a plain equality for one value.
 */
function anyOf(label: string, values: readonly string[]): string {
  if (values.length === 1) return `${label}="${values[0]}"`;
  return `${label}=one_of(${values.map((v) => `"${v}"`).join(", ")})`;
}

/** Ops Agent metric of the web VMs: `agent.googleapis.com/<suffix>` on gce_instance, for one tier label. */
export function agentFilter(tier: string, suffix: string): string {
  return `metric.type="agent.googleapis.com/${suffix}" resource.type="gce_instance" metadata.user_labels.tier="${tier}"`;
}

/**
 * A Cloud SQL metric (`cloudsql.googleapis.com/database/<suffix>`) of the given instances, named by the
 * `database_id` their metrics carry (`<project>:<instance>`).
 */
export function cloudSqlFilter(suffix: string, databaseIds: readonly string[]): string {
  return `metric.type="cloudsql.googleapis.com/database/${suffix}" resource.type="cloudsql_database" ${anyOf("resource.label.database_id", databaseIds)}`;
}

/**
 * The burn rate of an SLO's error budget over a lookback window: how many times faster than "exactly spent
 * at the end of the period" the budget is going. Monitoring reads this selector only from a threshold
 * condition's filter, with no aggregation
 * (https://cloud.google.com/stackdriver/docs/solutions/slo-monitoring/api/timeseries-selectors).
 */
export function sloBurnRateFilter(sloName: string, lookback: string): string {
  return `select_slo_burn_rate("${sloName}", "${lookback}")`;
}

/** Fraction of an SLO's error budget left, for the dashboard. */
export function sloBudgetFractionFilter(sloName: string): string {
  return `select_slo_budget_fraction("${sloName}")`;
}

/**
 * The site's request rate in PromQL, where a metric type maps to `<domain with _>:<path with _>`
 * (https://cloud.google.com/monitoring/promql/promql-mapping); `window` is a range such as `10m`, and
 * `offset` an optional shift into the past such as `1w`.
 */
export function promqlRequestRate(urlMapName: string, window: string, offset?: string): string {
  const selector = `loadbalancing_googleapis_com:https_request_count{monitored_resource="https_lb_rule",url_map_name="${urlMapName}"}`;
  return `sum(rate(${selector}[${window}]${offset ? ` offset ${offset}` : ""}))`;
}
