import { PlannedResource } from "../offline/mockRun";
import { evenSpread } from "../../components/web/spread";

/** The web VMs of one zone, as the plan knows them. */
export interface ZoneServers {
  zone: string;
  /** VMs the zone is sure to run. */
  count: number;
  /** VMs the zone may run besides, when Google places a group's remainder there. */
  possibleExtra: number;
  /** What the VMs are made from: the group's instance template (the group, when it has none planned). */
  source: PlannedResource;
  /** The managed group the VMs belong to. */
  group: PlannedResource;
}

export const str = (value: unknown) => (typeof value === "string" ? value : "");
/** The last segment of a reference (a self-link, a zone URL, a name), query and fragment left out. */
const lastSegment = (ref: string) => /[^/]*$/.exec(ref.replace(/[?#].*$/, ""))?.[0] ?? "";

/**
 * Where the web VMs run: the regional managed groups' VMs, spread evenly over their zones (no two zones
 * differ by more than one VM; the zones that hold the remainder are Google's choice). The program makes no
 * VM outside a group.
 */
export function webServersByZone(resources: PlannedResource[]): ZoneServers[] {
  const servers: ZoneServers[] = [];
  const templates = resources.filter((r) => r.type === "gcp:compute/instanceTemplate:InstanceTemplate");
  for (const group of resources.filter(
    (r) => r.type === "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager",
  )) {
    const versions = (group.props.versions ?? []) as { instanceTemplate?: string }[];
    const templateName = lastSegment(str(versions[0]?.instanceTemplate));
    const template = templates.find((t) => str(t.props.name) === templateName) ?? templates[0];
    const zones = ((group.props.distributionPolicyZones ?? []) as string[]).map(lastSegment);
    const spread = evenSpread(Number(group.props.targetSize ?? 0), zones);
    for (const zone of zones) {
      servers.push({
        zone,
        count: spread.vmsPerZone[zone],
        possibleExtra: spread.extraVms > 0 ? 1 : 0,
        source: template ?? group,
        group,
      });
    }
  }
  return servers;
}
