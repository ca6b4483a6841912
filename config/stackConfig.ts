/** The validated settings of one stack, after Pulumi.yaml defaults and Pulumi.<stack>.yaml overrides. */
export interface StackConfig {
  /** Host name the site is served on (e.g. www.foobar.com). */
  domain: string;
  /** Number of web VMs the managed instance group keeps, spread evenly over `zones`. */
  webInstanceCount: number;
  /** Zones of `region` for the web VMs and the database, in order of preference. */
  zones: string[];
  /** Compute Engine machine type of the web VMs. */
  machineType: string;
  /** Google-managed certificate for `domain`, or a self-signed one made with the tls provider. */
  certificate: CertificateMode;
  /** Cloud SQL tier of the primary and its replicas. */
  dbTier: string;
  /** Cloud SQL for MySQL version. */
  dbVersion: MySqlVersion;
  /** REGIONAL availability (automatic failover to a standby in another zone). */
  dbHighAvailability: boolean;
  /** Number of read replicas. */
  dbReplicaCount: number;
  /** Deletion protection on every Cloud SQL instance. */
  dbDeletionProtection: boolean;
  /** Requests per second at the load balancer above which the QPS alert fires. */
  qpsAlertThreshold: number;
  /** Objectives and alert thresholds of the site, its VMs and its database. */
  alerts: AlertSettings;
  /** Address the alert policies notify. */
  alertEmail: string;
  /** Cloud Armor blocks (`enforce`) or only logs (`preview`). */
  edgeSecurityMode: EdgeSecurityMode;
  /** Requests a minute one client IP may send before Cloud Armor answers 429. */
  rateLimitPerMinute: number;
  /** Container image of the application every web VM runs behind nginx; undefined serves the built-in page. */
  appImage?: string;
  /** Cloud DNS managed zone the stack adds `domain`'s A record to; undefined leaves the record to the user. */
  dnsZone?: string;
  /** Google Cloud project ID (`gcp:project`). */
  project: string;
  /** Google Cloud region (`gcp:region`). */
  region: string;
}

/** What the on-call person is paged or warned about, per stack. */
export interface AlertSettings {
  /** Share of requests (0-1) the site answers without a 5xx over 28 days. */
  sloAvailabilityGoal: number;
  /** Share of requests (0-1) answered within `sloLatencyMs` over 28 days. */
  sloLatencyGoal: number;
  /** Load balancer latency, in milliseconds, a request must beat to count as fast. */
  sloLatencyMs: number;
  /** Alert when the site's request rate falls below this percentage of the same time a week earlier. */
  trafficDropPercent: number;
  /** Alert when a web VM's memory use stays above this percentage. */
  vmMemoryPercent: number;
  /** Alert when a web VM's disk use stays above this percentage. */
  vmDiskPercent: number;
  /** Alert when a Cloud SQL instance's CPU stays above this percentage. */
  dbCpuPercent: number;
  /** Alert when a Cloud SQL instance's disk use stays above this percentage. */
  dbDiskPercent: number;
  /** Alert when a read replica stays more than this many seconds behind the primary. */
  dbReplicaLagSeconds: number;
}

export const certificateModes = ["managed", "self-signed"] as const;
export type CertificateMode = (typeof certificateModes)[number];

/**
 * The MySQL versions Cloud SQL offers, newest first. 8.0 left standard support in 2026; it, 5.7 and 5.6 run
 * only under paid extended support (https://cloud.google.com/sql/docs/db-versions).
 */
export const mysqlVersions = ["MYSQL_8_4", "MYSQL_8_0", "MYSQL_5_7", "MYSQL_5_6"] as const;
export type MySqlVersion = (typeof mysqlVersions)[number];

export const edgeSecurityModes = ["enforce", "preview"] as const;
export type EdgeSecurityMode = (typeof edgeSecurityModes)[number];
