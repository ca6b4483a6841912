/**
 * The concerns of the design (the five write-ups in shared/seeds) and what the program does about each.
 * A policy names the concern it answers with a `concern:<id>` tag (its folder's index.ts adds it), and the
 * map from concerns to policies is read from those tags: by the offline plan, by docs/concerns.md (written
 * by `npm run docs`) and by the tests, which require every policy to answer exactly one concern.
 */
import { Policy } from "@pulumi/policy";

export interface Concern {
  /** Stable identifier, also the policy folder's name. */
  id: string;
  /** The concern, in a few words. */
  title: string;
  /** What the design write-ups worry about. */
  risk: string;
  /** What the program builds to answer it. */
  programDoes: string;
}

export const concerns = [
  {
    id: "firewall",
    title: "A firewall in front of every server",
    risk:
      "Without filtering in front of each server, anyone who can reach an address can try every open service on it, " +
      "including remote administration and the database.",
    programDoes:
      "A custom-mode VPC (never the default network) with one set of rules per tier: HTTPS only from Google's load balancer " +
      "and health-check ranges, SSH only through IAP, MySQL only from the web tier, and a low-priority deny-all for the rest; " +
      "in front of the load balancer, Cloud Armor denies what Google's OWASP rules catch and throttles each client IP.",
  },
  {
    id: "https",
    title: "HTTPS only, one trusted certificate",
    risk:
      "Plain HTTP lets anyone on the path read or change what users send and receive, and a certificate browsers do not " +
      "trust trains users to click through warnings.",
    programDoes:
      "A target HTTPS proxy with the site's certificate (Google-managed in prod, self-signed only in dev) and an SSL policy " +
      "requiring TLS 1.2 with the RESTRICTED profile (forward-secret AEAD ciphers only); port 80 only answers with a redirect to HTTPS.",
  },
  {
    id: "backend-tls",
    title: "No TLS termination at the load balancer",
    risk: "Terminating TLS at the load balancer leaves the hop to the servers unencrypted, where it can be read inside the network.",
    programDoes:
      "The backend service speaks HTTPS to nginx, which serves the site over TLS on port 443 on every VM, and health checks probe over HTTPS too.",
  },
  {
    id: "database",
    title: "No single MySQL writer",
    risk: "With a single server accepting writes, its failure stops every write and can lose data; nothing is ready to take over.",
    programDoes:
      "Cloud SQL for MySQL 8.4 with REGIONAL availability (a standby in another zone with automatic failover), read replicas " +
      "in other zones, automated backups and binary logging.",
  },
  {
    id: "tier-separation",
    title: "No identical components on every server",
    risk:
      "When every server runs the web server, the application and the database, they compete for resources, cannot be " +
      "scaled separately, and one flaw or failure hits every layer at once.",
    programDoes:
      "The VMs only run nginx (and the monitoring agent); the database is a managed Cloud SQL tier of its own, reachable only from the web tier.",
  },
  {
    id: "monitoring",
    title: "Monitoring on every server, and QPS monitoring",
    risk: "Without a monitoring client on each server and an eye on requests per second, failures and traffic spikes go unnoticed until users complain.",
    programDoes:
      "Every VM installs the Google Cloud Ops Agent at boot; an HTTPS uptime check on the site; availability and latency " +
      "objectives over 28 days with fast (paging) and slow (warning) burn-rate alerts; alerts on QPS (the load balancer's " +
      "request_count), the 5xx ratio, uptime failures, traffic gone or far below last week's, VMs whose agent falls silent " +
      "or whose memory or disk fills, and every Cloud SQL instance being down, replication stopping, replica lag, CPU and " +
      "disk; a dashboard of it all; notifications by e-mail with what to check first.",
  },
  {
    id: "availability",
    title: "No single point of failure in front or behind",
    risk: "A single load balancer, a single server or a single zone is a single point of failure: when it goes, the site goes.",
    programDoes:
      "Google's global external managed load balancer (a distributed front end, not one machine) in front of a regional " +
      "managed instance group of three VMs spread evenly over three zones, which recreates a VM that stops answering and rolls " +
      "changes out by adding new VMs before removing old ones.",
  },
  {
    id: "hardening",
    title: "Hardening",
    risk:
      "The design asks for access control and up-to-date, locked-down servers; the usual ways in are public IPs, shared SSH " +
      "keys, broad service accounts, an open serial console, and a database reachable or readable from outside.",
    programDoes:
      "VMs without public IPs, Shielded VM, OS Login with project SSH keys blocked, serial port off, IP forwarding off, a " +
      "dedicated service account with only log and metric writing; Cloud SQL on private IP only, TLS required, local_infile off; firewall logging on.",
  },
] as const satisfies readonly Concern[];

export type ConcernId = (typeof concerns)[number]["id"];

const TAG_PREFIX = "concern:";

/** The policies of a concern's folder, each tagged with the concern it answers. */
export function answering<T extends Policy>(concern: ConcernId, policies: readonly T[]): T[] {
  return policies.map((policy) => ({ ...policy, tags: [...(policy.tags ?? []), `${TAG_PREFIX}${concern}`] }));
}

/** The concern a policy answers, read from its tag. */
export function concernOf(policy: Policy): Concern | undefined {
  const tag = policy.tags?.find((t) => t.startsWith(TAG_PREFIX));
  return tag === undefined ? undefined : concerns.find((c) => c.id === tag.slice(TAG_PREFIX.length));
}

/** The names of the policies of a pack that answer a concern, in the pack's order. */
export function policiesAnswering(concern: Concern, policies: readonly Policy[]): string[] {
  return policies.filter((p) => concernOf(p)?.id === concern.id).map((p) => p.name);
}
