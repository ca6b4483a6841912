import { Computed, ResourceContext, lastPathSegment } from "./common";
import { str } from "../values";

/** A Cloud DNS record set, with the ID the google provider gives it. */
export function recordSet(ctx: ResourceContext): Computed {
  const zone = str(ctx.inputs.managedZone) ?? "";
  const name = str(ctx.inputs.name) ?? "";
  const type = str(ctx.inputs.type) ?? "";
  return {
    id: `projects/${ctx.project}/managedZones/${lastPathSegment(zone)}/rrsets/${name}/${type}`,
    computed: { project: ctx.project },
  };
}
