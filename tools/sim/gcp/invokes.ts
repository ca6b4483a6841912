import { randomBytes } from "node:crypto";
import { Props, str } from "../values";
import { projectNumber, regionZones } from "./common";

export interface InvokeDefaults {
  readonly project: string;
  readonly region: string;
}

export function getZones(args: Props, defaults: InvokeDefaults): Props {
  const project = str(args.project) ?? defaults.project;
  const region = str(args.region) ?? defaults.region;
  return {
    id: `projects/${project}/regions/${region}`,
    names: regionZones(region),
    project,
    region,
    ...(str(args.status) ? { status: args.status } : {}),
  };
}

export function getProject(args: Props, defaults: InvokeDefaults): Props {
  const project = str(args.projectId) ?? defaults.project;
  return {
    id: `projects/${project}`,
    projectId: project,
    name: project,
    number: projectNumber(project),
    orgId: "",
    folderId: "",
    billingAccount: "",
    autoCreateNetwork: true,
    deletionPolicy: "PREVENT",
    labels: {},
    effectiveLabels: {},
    pulumiLabels: {},
    tags: {},
  };
}

export function getClientConfig(_args: Props, defaults: InvokeDefaults): Props {
  return {
    id: `projects/${defaults.project}/regions/${defaults.region}/zones/`,
    project: defaults.project,
    region: defaults.region,
    zone: "",
    // Never a usable credential: a fresh, meaningless value in the shape of an OAuth access token.
    accessToken: `ya29.sim-${randomBytes(24).toString("base64url")}`,
    defaultLabels: {},
  };
}
