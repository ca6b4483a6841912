/** Firewall port arithmetic: which ports an `allows` entry opens. */
export interface PortRange {
  from: number;
  to: number;
  /** The port as written in the rule ("22", "20-25"). */
  written: string;
}

/** Protocols whose rules list ports; the IANA numbers GCP also accepts are mapped to their names. */
const PORT_PROTOCOLS: Record<string, string> = {
  tcp: "tcp",
  udp: "udp",
  sctp: "sctp",
  "6": "tcp",
  "17": "udp",
  "132": "sctp",
};

/** Well-known names for the ports the firewall policy cares about, for messages. */
export const PORT_NAMES: Record<number, string> = {
  22: "SSH",
  3389: "RDP",
  3306: "MySQL",
  5432: "PostgreSQL",
  1433: "SQL Server",
  6379: "Redis",
  27017: "MongoDB",
  9200: "Elasticsearch",
  11211: "Memcached",
};

/** The protocol of an allow entry normalised (`tcp`, `udp`, `sctp`, `all`, `icmp`...). */
export function protocolOf(value: string): string {
  const protocol = value.trim().toLowerCase();
  return PORT_PROTOCOLS[protocol] ?? protocol;
}

/** True when rules of this protocol name ports (so an empty port list means every port). */
export function hasPorts(protocol: string): boolean {
  return protocol === "tcp" || protocol === "udp" || protocol === "sctp";
}

/** The port ranges of an allow entry's `ports` (entries that are no port or range are left out). */
export function portRanges(ports: readonly string[] | undefined): PortRange[] {
  const out: PortRange[] = [];
  for (const entry of ports ?? []) {
    const written = String(entry);
    const match = /^\s*(\d{1,5})\s*(?:-\s*(\d{1,5})\s*)?$/.exec(written);
    if (!match) continue;
    const from = Number(match[1]);
    const to = match[2] !== undefined ? Number(match[2]) : from;
    if (from <= to) out.push({ from, to, written: written.trim() });
  }
  return out;
}

/** "SSH (22)" or "port 8080". */
export function describePort(port: number): string {
  const name = PORT_NAMES[port];
  return name ? `${port} (${name})` : String(port);
}
