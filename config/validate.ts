import {
  AlertSettings,
  CertificateMode,
  certificateModes,
  EdgeSecurityMode,
  edgeSecurityModes,
  MySqlVersion,
  mysqlVersions,
  StackConfig,
} from "./stackConfig";

/** The project's config namespace: keys are `foobar-web:<key>` in stack files. */
export const projectNamespace = "foobar-web";

/**
 * Raised for a config value the program cannot use. The message names the key, the bad value and what is
 * allowed, so it is the only line a user needs to read.
 */
export class ConfigError extends Error {
  constructor(
    public readonly key: string,
    public readonly value: string | undefined,
    allowed: string,
  ) {
    super(
      value === undefined
        ? `Config "${key}" is not set; expected ${allowed}.`
        : `Config "${key}" has the invalid value ${JSON.stringify(value)}; expected ${allowed}.`,
    );
    this.name = "ConfigError";
  }
}

/** Raw config values as Pulumi hands them to the program: strings keyed by the full `namespace:key`. */
export type RawConfig = Readonly<Record<string, string | undefined>>;

// RFC 1123 host name labels; at least two labels, since the managed certificate needs a public name.
const domainPattern = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;
const emailPattern = /^[A-Za-z0-9._%+-]+@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,}$/;
// Project IDs: 6-30 characters, lowercase letters, digits and hyphens, starting with a letter.
const projectPattern = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
// Regions look like us-central1, europe-west4, northamerica-northeast2.
const regionPattern = /^[a-z]+-[a-z]+[0-9]+$/;
const machineTypePattern = /^[a-z0-9]+(-[a-z0-9]+)+$/;
const dbTierPattern = /^db-[a-z0-9]+(-[a-z0-9]+)+$/;
// An OCI image reference: [host[:port]/]path[:tag][@sha256:digest], in the characters a shell and a systemd
// unit take as they are.
const imagePattern =
  /^([a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?\/)?[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;
// Cloud DNS managed zone names: 1-63 lowercase letters, digits or hyphens, starting with a letter.
const dnsZonePattern = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** A key as Pulumi names it: `foobar-web:<key>` for the project's own, `gcp:region` and the like as given. */
export function fullKey(name: string): string {
  return name.includes(":") ? name : `${projectNamespace}:${name}`;
}

function required(raw: RawConfig, name: string, allowed: string): string {
  const value = raw[fullKey(name)];
  if (value === undefined) {
    throw new ConfigError(fullKey(name), undefined, allowed);
  }
  return value;
}

function matching(raw: RawConfig, name: string, pattern: RegExp, allowed: string): string {
  const value = required(raw, name, allowed);
  if (!pattern.test(value)) {
    throw new ConfigError(fullKey(name), value, allowed);
  }
  return value;
}

// Not pulumi.Config's requireNumber: it reads with parseFloat, so "3x" would be 3 VMs and "2.5" would pass
// its bounds. Its pattern and allowed-value checks would save little and still need these messages.
function wholeNumber(raw: RawConfig, name: string, min: number, max?: number): number {
  const allowed =
    max === undefined ? `a whole number of ${min} or more` : `a whole number from ${min} to ${max}`;
  const value = required(raw, name, allowed);
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < min || (max !== undefined && n > max) || !Number.isSafeInteger(n)) {
    throw new ConfigError(fullKey(name), value, allowed);
  }
  return n;
}

/**
 * An SLO target written as a percentage with at most two decimals (such as 99.9), returned as the fraction
 * Cloud Monitoring's `goal` takes. From 95%: a burn rate cannot exceed 1 / (1 - goal), so at 90% the
 * fast-burn alert's 10x could never be reached, and just above it only by an outage of nearly every
 * request. Up to 99.99%, the most Monitoring takes.
 */
function sloTarget(raw: RawConfig, name: string): number {
  const allowed = "a percentage from 95 to 99.99 with at most two decimals, such as 99.9";
  const value = required(raw, name, allowed);
  const n = Number(value);
  if (!/^\d{2}(\.\d{1,2})?$/.test(value.trim()) || n < 95 || n > 99.99) {
    throw new ConfigError(fullKey(name), value, allowed);
  }
  return Math.round(n * 100) / 10000;
}

function boolean(raw: RawConfig, name: string): boolean {
  const allowed = "true or false";
  const value = required(raw, name, allowed);
  if (value !== "true" && value !== "false") {
    throw new ConfigError(fullKey(name), value, allowed);
  }
  return value === "true";
}

function oneOf<T extends string>(raw: RawConfig, name: string, options: readonly T[]): T {
  const allowed = `one of ${options.map((o) => JSON.stringify(o)).join(", ")}`;
  const value = required(raw, name, allowed);
  if (!(options as readonly string[]).includes(value)) {
    throw new ConfigError(fullKey(name), value, allowed);
  }
  return value as T;
}

/** An optional string: unset or empty is undefined, anything else must match. */
function optional(raw: RawConfig, name: string, pattern: RegExp, allowed: string): string | undefined {
  const value = raw[fullKey(name)];
  if (value === undefined || value === "") {
    return undefined;
  }
  if (!pattern.test(value)) {
    throw new ConfigError(fullKey(name), value, allowed);
  }
  return value;
}

function zoneList(raw: RawConfig, region: string): string[] {
  const zonePattern = new RegExp(`^${region}-[a-z]$`);
  const allowed = `a non-empty list of distinct zones of region ${region} (such as ["${region}-a", "${region}-b"])`;
  const value = required(raw, "zones", allowed);
  let zones: unknown;
  try {
    zones = JSON.parse(value);
  } catch {
    throw new ConfigError(fullKey("zones"), value, allowed);
  }
  const valid =
    Array.isArray(zones) &&
    zones.length > 0 &&
    zones.every((z) => typeof z === "string" && zonePattern.test(z)) &&
    new Set(zones).size === zones.length;
  if (!valid) {
    throw new ConfigError(fullKey("zones"), value, allowed);
  }
  return zones as string[];
}

/** The project's own keys, in the order they are checked. */
export const projectKeys = [
  "domain",
  "webInstanceCount",
  "zones",
  "machineType",
  "certificate",
  "dbTier",
  "dbVersion",
  "dbHighAvailability",
  "dbReplicaCount",
  "dbDeletionProtection",
  "qpsAlertThreshold",
  "sloAvailabilityPercent",
  "sloLatencyPercent",
  "sloLatencyMs",
  "trafficDropPercent",
  "vmMemoryAlertPercent",
  "vmDiskAlertPercent",
  "dbCpuAlertPercent",
  "dbDiskAlertPercent",
  "dbReplicaLagAlertSeconds",
  "alertEmail",
  "edgeSecurityMode",
  "rateLimitPerMinute",
  "appImage",
  "dnsZone",
] as const;

// A misspelt key would otherwise be ignored silently and its default used instead.
function rejectUnknownKeys(raw: RawConfig): void {
  const known = new Set<string>(projectKeys);
  for (const fullKey of Object.keys(raw).sort()) {
    const [namespace, name] = fullKey.split(":", 2);
    if (namespace === projectNamespace && !known.has(name)) {
      throw new ConfigError(fullKey, raw[fullKey], `a key of this project: ${projectKeys.join(", ")}`);
    }
  }
}

/**
 * Checks every key and returns the typed settings, or throws a ConfigError for the first bad key, in the
 * order the keys are declared in Pulumi.yaml (provider keys first, since zones depend on the region).
 */
export function validateConfig(raw: RawConfig): StackConfig {
  rejectUnknownKeys(raw);
  const project = matching(
    raw,
    "gcp:project",
    projectPattern,
    "a Google Cloud project ID: 6 to 30 lowercase letters, digits or hyphens, starting with a letter",
  );
  const region = matching(raw, "gcp:region", regionPattern, "a Google Cloud region such as us-central1");
  const domain = matching(raw, "domain", domainPattern, "a lowercase DNS host name such as www.foobar.com");
  const webInstanceCount = wholeNumber(raw, "webInstanceCount", 1);
  const zones = zoneList(raw, region);
  const machineType = matching(
    raw,
    "machineType",
    machineTypePattern,
    "a Compute Engine machine type such as e2-medium or n2-standard-2",
  );
  const certificate: CertificateMode = oneOf(raw, "certificate", certificateModes);
  const dbTier = matching(
    raw,
    "dbTier",
    dbTierPattern,
    "a Cloud SQL tier such as db-custom-2-7680 or db-n1-standard-2",
  );
  const dbVersion: MySqlVersion = oneOf(raw, "dbVersion", mysqlVersions);
  const dbHighAvailability = boolean(raw, "dbHighAvailability");
  const dbReplicaCount = wholeNumber(raw, "dbReplicaCount", 0);
  const dbDeletionProtection = boolean(raw, "dbDeletionProtection");
  const qpsAlertThreshold = wholeNumber(raw, "qpsAlertThreshold", 1);
  const alerts: AlertSettings = {
    sloAvailabilityGoal: sloTarget(raw, "sloAvailabilityPercent"),
    sloLatencyGoal: sloTarget(raw, "sloLatencyPercent"),
    sloLatencyMs: wholeNumber(raw, "sloLatencyMs", 1, 60000),
    trafficDropPercent: wholeNumber(raw, "trafficDropPercent", 1, 99),
    vmMemoryPercent: wholeNumber(raw, "vmMemoryAlertPercent", 1, 99),
    vmDiskPercent: wholeNumber(raw, "vmDiskAlertPercent", 1, 99),
    dbCpuPercent: wholeNumber(raw, "dbCpuAlertPercent", 1, 99),
    dbDiskPercent: wholeNumber(raw, "dbDiskAlertPercent", 1, 99),
    dbReplicaLagSeconds: wholeNumber(raw, "dbReplicaLagAlertSeconds", 1, 86400),
  };
  const alertEmail = matching(raw, "alertEmail", emailPattern, "an e-mail address such as ops@foobar.com");
  const edgeSecurityMode: EdgeSecurityMode = oneOf(raw, "edgeSecurityMode", edgeSecurityModes);
  const rateLimitPerMinute = wholeNumber(raw, "rateLimitPerMinute", 1);
  const appImage = optional(
    raw,
    "appImage",
    imagePattern,
    "a container image reference such as us-docker.pkg.dev/my-project/site/app:1.2.3, or empty for the built-in page",
  );
  const dnsZone = optional(
    raw,
    "dnsZone",
    dnsZonePattern,
    "the name of a Cloud DNS managed zone (lowercase letters, digits and hyphens, starting with a letter), or empty",
  );
  return {
    domain,
    webInstanceCount,
    zones,
    machineType,
    certificate,
    dbTier,
    dbVersion,
    dbHighAvailability,
    dbReplicaCount,
    dbDeletionProtection,
    qpsAlertThreshold,
    alerts,
    alertEmail,
    edgeSecurityMode,
    rateLimitPerMinute,
    ...(appImage ? { appImage } : {}),
    ...(dnsZone ? { dnsZone } : {}),
    project,
    region,
  };
}
