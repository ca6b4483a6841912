/** Cloud Monitoring filters for the site's metrics, shared by the dashboard and the alert policies. */

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
