import { rfc3339 } from "../time";
import { list, str } from "../values";
import { Computed, ResourceContext, projectNumber } from "./common";
import { refuseBadAlertPolicy, refuseBadSlo } from "./monitoringRequests";

export function notificationChannel(ctx: ResourceContext): Computed {
  const name = `projects/${ctx.project}/notificationChannels/${ctx.entropy.digits(19, "channel")}`;
  return { id: name, computed: { name, project: ctx.project, enabled: true, verificationStatus: "" } };
}

/** `dev.foobar.com uptime` → `dev-foobar-com-uptime`, the stem of an uptime check ID. */
function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 50);
}

export function uptimeCheckConfig(ctx: ResourceContext): Computed {
  const stem = slug(str(ctx.inputs.displayName) ?? ctx.logicalName) || "uptime-check";
  const uptimeCheckId = `${stem}-${ctx.entropy.hex(11, "uptimeCheckId")}`;
  const name = `projects/${ctx.project}/uptimeCheckConfigs/${uptimeCheckId}`;
  return {
    id: name,
    computed: { name, uptimeCheckId, project: ctx.project, checkerType: "STATIC_IP_CHECKERS", period: "60s" },
  };
}

export function alertPolicy(ctx: ResourceContext): Computed {
  refuseBadAlertPolicy(ctx.inputs);
  const name = `projects/${ctx.project}/alertPolicies/${ctx.entropy.digits(19, "policy")}`;
  return {
    id: name,
    computed: {
      name,
      project: ctx.project,
      enabled: true,
      conditions: list(ctx.inputs.conditions).map((_, i) => ({
        name: `${name}/conditions/${ctx.entropy.digits(19, `condition/${i}`)}`,
      })),
      creationRecords: [{ mutateTime: rfc3339(ctx.now), mutatedBy: `${ctx.project}@sim.invalid` }],
    },
  };
}

/** An ID Monitoring makes up: 22 URL-safe base64 characters, like `kDRdyKS1SNOUqaS1Y2tFXg`. */
function generatedId(ctx: ResourceContext, label: string): string {
  return Buffer.from(ctx.entropy.hex(32, label), "hex").toString("base64url");
}

/**
 * A custom service. Without a `serviceId` Monitoring makes one up; names returned by the API carry the
 * project's number (https://cloud.google.com/monitoring/api/ref_v3/rest/v3/services).
 */
export function customService(ctx: ResourceContext): Computed {
  const serviceId = str(ctx.inputs.serviceId) ?? generatedId(ctx, "serviceId");
  const name = `projects/${projectNumber(ctx.project)}/services/${serviceId}`;
  return { id: name, computed: { name, serviceId, project: ctx.project } };
}

/** A service-level objective of a service; its ID is the caller's `sloId` or one Monitoring makes up. */
export function slo(ctx: ResourceContext): Computed {
  refuseBadSlo(ctx.inputs);
  const sloId = str(ctx.inputs.sloId) ?? generatedId(ctx, "sloId");
  const name = `projects/${projectNumber(ctx.project)}/services/${str(ctx.inputs.service)}/serviceLevelObjectives/${sloId}`;
  return { id: name, computed: { name, sloId, project: ctx.project } };
}

export function dashboard(ctx: ResourceContext): Computed {
  return {
    id: `projects/${projectNumber(ctx.project)}/dashboards/${ctx.entropy.uuid("dashboard")}`,
    computed: { project: ctx.project },
  };
}

/**
 * A dashboard's JSON as the Monitoring API returns it. The API speaks proto3 JSON, which leaves out fields
 * at their default: zero numbers, empty strings, false and empty lists. The google provider compares the
 * JSON it sent with the one it reads back structurally (after dropping the server's `name` and `etag`), so
 * a default written out shows as a change on every preview.
 */
export function dashboardJsonAsReturned(json: string): string {
  try {
    // The reviver runs leaves first; a property it answers undefined for is dropped, an element is left a
    // hole, which `filter` skips.
    const parsed: unknown = JSON.parse(json, (_key, value: unknown) => {
      const kept = Array.isArray(value) ? value.filter(() => true) : value;
      const isDefault = kept === 0 || kept === "" || kept === false || kept === null;
      return isDefault || (Array.isArray(kept) && kept.length === 0) ? undefined : kept;
    });
    return JSON.stringify(parsed ?? {});
  } catch {
    return json; // the real API rejects it; the simulator leaves it for the caller to notice
  }
}
