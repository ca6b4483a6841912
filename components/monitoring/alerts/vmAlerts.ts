import * as gcp from "@pulumi/gcp";
import { absence, alertPolicy, AlertTarget, threshold } from "./alertPolicy";
import { agentFilter } from "../metrics";

export interface VmAlertArgs {
  /** Label value (`tier`) of the web VMs. */
  webTier: string;
  /** How many VMs the group keeps: fewer agents reporting means some are silent. */
  instanceCount: number;
  memoryPercent: number;
  diskPercent: number;
}

/**
 * Watches the monitoring agent itself, and what it reports. The agent's heartbeat is its uptime counter
 * (Google's own "Ops Agent not collecting telemetry" alert uses it); only the metrics sub-agent's series is
 * counted, since the logging sub-agent reports one of its own.
 */
export function vmAlerts(target: AlertTarget, args: VmAlertArgs): gcp.monitoring.AlertPolicy[] {
  const heartbeat = `${agentFilter(args.webTier, "agent/uptime")} metric.label.version=starts_with("google-cloud-ops-agent-metrics")`;
  const agentsReporting = { period: "300s", aligner: "ALIGN_RATE", reducer: "REDUCE_COUNT" };
  return [
    alertPolicy(target, "vm-agent-silent", {
      severity: "ERROR",
      title: "web VMs' monitoring agent not reporting",
      runbook:
        "Fewer web VMs report metrics than the group keeps, for longer than a VM takes to boot, or none report at all. " +
        "The site may still answer, but a silent VM is unwatched. Open the VM's serial console output for " +
        "`foobar-boot: FAILED`, and on the VM (through IAP) run `systemctl status google-cloud-ops-agent*`; check the " +
        "service account still has roles/monitoring.metricWriter.",
      conditions: [
        // A reduced count has no point at all when no VM reports, so a threshold alone cannot see that.
        absence("No web VM reports", heartbeat, agentsReporting, "600s"),
        threshold(`Fewer than ${args.instanceCount} web VMs report`, {
          filter: heartbeat,
          window: agentsReporting,
          comparison: "COMPARISON_LT",
          value: args.instanceCount,
          // A VM the group recreates reports again within its boot budget (8 minutes); 15 leaves room.
          duration: "900s",
        }),
      ],
    }),
    alertPolicy(target, "vm-memory-high", {
      severity: "WARNING",
      title: `web VM memory above ${args.memoryPercent}%`,
      runbook:
        `A web VM has used more than ${args.memoryPercent}% of its memory for 10 minutes. Check the application ` +
        "container's memory (`docker stats`) and nginx workers; if it is load, use a larger machineType.",
      conditions: [
        threshold("Memory used per VM", {
          filter: `${agentFilter(args.webTier, "memory/percent_used")} metric.label.state="used"`,
          window: { period: "300s", aligner: "ALIGN_MEAN" },
          comparison: "COMPARISON_GT",
          value: args.memoryPercent,
          duration: "600s",
        }),
      ],
    }),
    alertPolicy(target, "vm-disk-full", {
      severity: "WARNING",
      title: `web VM disk above ${args.diskPercent}%`,
      runbook:
        `A disk of a web VM is more than ${args.diskPercent}% full. Look for logs or container images piling up ` +
        "(`journalctl --disk-usage`, `docker system df`); a full disk stops nginx from writing and the agent from buffering.",
      conditions: [
        threshold("Disk used per VM and device", {
          filter: `${agentFilter(args.webTier, "disk/percent_used")} metric.label.state="used"`,
          window: { period: "300s", aligner: "ALIGN_MEAN" },
          comparison: "COMPARISON_GT",
          value: args.diskPercent,
          duration: "300s",
        }),
      ],
    }),
  ];
}
