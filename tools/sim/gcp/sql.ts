import { X509Certificate } from "node:crypto";
import { rfc3339 } from "../time";
import { Props, bool, obj, str } from "../values";
import {
  Computed,
  ResourceContext,
  SQL_API,
  nameOf,
  networkPath,
  projectNumber,
  publicIpv4,
  regionZones,
} from "./common";
import { SQL_SERVER_CA_PEM } from "./sqlServerCa";

/** `serverCaCerts[0]`, read from the stand-in CA certificate. */
function serverCaCert(): Props {
  const cert = new X509Certificate(SQL_SERVER_CA_PEM);
  return {
    cert: SQL_SERVER_CA_PEM,
    commonName: cert.subject.split("\n").reverse().join(",").replace("O=Google, Inc", "O=Google\\, Inc"),
    createTime: rfc3339(new Date(cert.validFrom)),
    expirationTime: rfc3339(new Date(cert.validTo)),
    sha1Fingerprint: cert.fingerprint.replace(/:/g, "").toLowerCase(),
  };
}

/** `MYSQL_8_0` → the maintenance version string Cloud SQL reports for it. */
function maintenanceVersion(databaseVersion: string): string {
  const patch: Record<string, string> = {
    MYSQL_8_0: "MYSQL_8_0_41",
    MYSQL_8_4: "MYSQL_8_4_4",
    MYSQL_5_7: "MYSQL_5_7_44",
  };
  return `${patch[databaseVersion] ?? databaseVersion}.R20250304.00_03`;
}

export function databaseInstance(ctx: ResourceContext): Computed {
  const name = nameOf(ctx);
  const settings = obj(ctx.inputs.settings);
  const ipConfiguration = obj(settings.ipConfiguration);
  const location = obj(settings.locationPreference);
  const availabilityType = str(settings.availabilityType) ?? "ZONAL";
  const zones = regionZones(ctx.region);
  const zone = str(location.zone) ?? zones[ctx.entropy.int(zones.length, "zone")];
  const secondaryZone =
    str(location.secondaryZone) ??
    (availabilityType === "REGIONAL" ? zones.find((z) => z !== zone) : undefined);

  const ipv4Enabled = bool(ipConfiguration.ipv4Enabled) ?? true;
  const privateNetwork = str(ipConfiguration.privateNetwork);
  const publicIp = ipv4Enabled ? publicIpv4(ctx.entropy, "publicIp") : "";
  const pool = privateNetwork
    ? (ctx.cloud.peeringPools.get(networkPath(privateNetwork, ctx.project)) ?? ctx.cloud.fallbackPeeringPool)
    : undefined;
  const privateIp = pool?.allocate(`sql/${ctx.project}/${name}`) ?? "";
  const ipAddresses = [
    ...(publicIp ? [{ type: "PRIMARY", ipAddress: publicIp, timeToRetire: "" }] : []),
    ...(privateIp ? [{ type: "PRIVATE", ipAddress: privateIp, timeToRetire: "" }] : []),
  ];
  const databaseVersion = str(ctx.inputs.databaseVersion) ?? "MYSQL_8_0";
  const number = projectNumber(ctx.project);

  return {
    id: name,
    computed: {
      name,
      project: ctx.project,
      region: ctx.region,
      databaseVersion,
      connectionName: `${ctx.project}:${ctx.region}:${name}`,
      selfLink: `${SQL_API}projects/${ctx.project}/instances/${name}`,
      dnsName: "",
      dnsNames: [],
      instanceType: str(ctx.inputs.masterInstanceName) ? "READ_REPLICA_INSTANCE" : "CLOUD_SQL_INSTANCE",
      ipAddresses,
      privateIpAddress: privateIp,
      publicIpAddress: publicIp,
      firstIpAddress: ipAddresses[0]?.ipAddress ?? "",
      serviceAccountEmailAddress: `p${number}-${ctx.entropy.hex(6, "serviceAccount")}@gcp-sa-cloud-sql.iam.gserviceaccount.com`,
      serverCaCerts: [serverCaCert()],
      maintenanceVersion: maintenanceVersion(databaseVersion),
      availableMaintenanceVersions: [],
      pscServiceAttachmentLink: "",
      replicaNames: [],
      deletionProtection: true,
      settings: {
        version: 1,
        tier: "db-custom-1-3840",
        edition: "ENTERPRISE",
        availabilityType,
        activationPolicy: "ALWAYS",
        pricingPlan: "PER_USE",
        diskType: "PD_SSD",
        diskSize: 10,
        diskAutoresize: true,
        diskAutoresizeLimit: 0,
        connectorEnforcement: "NOT_REQUIRED",
        userLabels: {},
        locationPreference: { zone, secondaryZone: secondaryZone ?? "" },
        ipConfiguration: {
          ipv4Enabled,
          privateNetwork: privateNetwork ?? "",
          sslMode: "ALLOW_UNENCRYPTED_AND_ENCRYPTED",
          authorizedNetworks: [],
        },
        backupConfiguration: { enabled: false, binaryLogEnabled: false, startTime: "00:00" },
      },
    },
  };
}

export function database(ctx: ResourceContext): Computed {
  const name = nameOf(ctx);
  const instanceName = str(ctx.inputs.instance) ?? "instance";
  return {
    id: `projects/${ctx.project}/instances/${instanceName}/databases/${name}`,
    computed: {
      name,
      project: ctx.project,
      selfLink: `${SQL_API}projects/${ctx.project}/instances/${instanceName}/databases/${name}`,
      charset: "utf8mb4",
      collation: "utf8mb4_0900_ai_ci",
    },
  };
}

export function user(ctx: ResourceContext): Computed {
  const name = nameOf(ctx);
  const host = str(ctx.inputs.host) ?? "";
  return {
    id: `${name}/${host}/${str(ctx.inputs.instance) ?? "instance"}`,
    computed: { name, project: ctx.project, host: host === "" ? "%" : host },
  };
}
