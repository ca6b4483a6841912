import { PlannedResource } from "../offline/mockRun";
import { isReplica } from "../../policies/lib/cloudsql";
import { webServersByZone } from "./webServers";

/** What is left of the site when one zone goes down. */
export interface ZoneFailure {
  zone: string;
  /** Web VMs still serving, at worst (a managed group's remainder VM may be in the zone that is lost). */
  webServersLeft: number;
  webServersTotal: number;
  /** Whether a managed instance group recreates the lost VMs in the zones that are left. */
  webServersRecreated: boolean;
  /** "yes" (primary elsewhere), "failover" (standby takes over), or "no". */
  databaseWrites: "yes" | "failover" | "no";
  /** Where reads can still go: the primary, its promoted standby, replicas outside the zone. */
  databaseReads: boolean;
  siteUp: boolean;
  /** One sentence a person can read. */
  summary: string;
}

export interface ZoneFailureAnalysis {
  zones: ZoneFailure[];
  /** Zones whose loss takes the site down. */
  fatalZones: string[];
  verdict: string;
}

/** Where a Cloud SQL instance runs, and its standby's zone if it has one. */
export function sqlInstance(r: PlannedResource) {
  const settings = (r.props.settings ?? {}) as Record<string, unknown>;
  const location = (settings.locationPreference ?? {}) as Record<string, unknown>;
  return {
    name: r.name,
    zone: typeof location.zone === "string" ? location.zone : undefined,
    secondaryZone: typeof location.secondaryZone === "string" ? location.secondaryZone : undefined,
    regional: settings.availabilityType === "REGIONAL",
    replica: isReplica(r.props),
  };
}

/**
 * For each zone the stack uses, takes that zone away and sees what still serves: web VMs in other zones,
 * a database primary (or its standby, which Cloud SQL promotes on its own when the primary's zone fails),
 * and readers. A site is up when at least one web VM is left and the database still accepts writes.
 */
export function analyseZoneFailures(resources: PlannedResource[]): ZoneFailureAnalysis {
  const servers = webServersByZone(resources);
  const groups = new Set(servers.map((s) => s.group));
  const webServersTotal = [...groups].reduce((n, g) => n + Number(g.props.targetSize ?? 0), 0);
  const sql = resources
    .filter((r) => r.type === "gcp:sql/databaseInstance:DatabaseInstance")
    .map(sqlInstance);
  const primaries = sql.filter((i) => !i.replica);
  const replicas = sql.filter((i) => i.replica);
  const zones = [
    ...new Set(
      [...servers.map((s) => s.zone), ...sql.flatMap((i) => [i.zone, i.secondaryZone])].filter(
        (z): z is string => !!z,
      ),
    ),
  ].sort();

  const failures = zones.map((zone): ZoneFailure => {
    const lost = servers.filter((s) => s.zone === zone);
    const webServersLeft = webServersTotal - lost.reduce((n, s) => n + s.count + s.possibleExtra, 0);
    // A regional group replaces the VMs of a zone that fails in its other zones.
    const webServersRecreated =
      lost.length > 0 && lost.every((s) => servers.some((o) => o.group === s.group && o.zone !== zone));
    const atWorst = lost.some((s) => s.possibleExtra > 0) ? "at worst, " : "";
    const writes = primaries.map((p): ZoneFailure["databaseWrites"] => {
      if (p.zone !== zone) return "yes";
      return p.regional && p.secondaryZone !== undefined && p.secondaryZone !== zone ? "failover" : "no";
    });
    const databaseWrites = writes.includes("no") ? "no" : writes.includes("failover") ? "failover" : "yes";
    const databaseReads = databaseWrites !== "no" || replicas.some((r) => r.zone !== zone);
    const siteUp = webServersLeft > 0 && databaseWrites !== "no";
    const web =
      `${atWorst}${webServersLeft} of ${webServersTotal} web servers still serve` +
      (webServersRecreated ? " (the managed group recreates the lost ones in the other zones)" : "");
    const db =
      primaries.length === 0
        ? "there is no database"
        : databaseWrites === "yes"
          ? "the database primary is unaffected"
          : databaseWrites === "failover"
            ? "the database fails over to its standby and keeps accepting writes"
            : `the database stops accepting writes${databaseReads ? " (replicas still answer reads)" : " and reads"}`;
    return {
      zone,
      webServersLeft,
      webServersTotal,
      webServersRecreated,
      databaseWrites,
      databaseReads,
      siteUp,
      summary: `${web}; ${db}; the site ${siteUp ? "stays up" : "goes down"}.`,
    };
  });
  const fatalZones = failures.filter((f) => !f.siteUp).map((f) => f.zone);
  return {
    zones: failures,
    fatalZones,
    verdict:
      fatalZones.length === 0
        ? "No single zone takes the site down."
        : `Losing ${fatalZones.join(" or ")} takes the site down.`,
  };
}
