/**
 * The MySQL account host pattern that admits exactly the addresses of a subnet, e.g. 10.10.0.0/24 →
 * "10.10.0.%". MySQL host wildcards work on whole octets, so only /8, /16 and /24 ranges map exactly.
 */
export function mysqlHostPattern(cidr: string): string {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(8|16|24)$/.exec(cidr);
  if (!match || match.slice(1, 5).some((octet) => Number(octet) > 255)) {
    throw new Error(
      `Cannot turn ${JSON.stringify(cidr)} into a MySQL host pattern; use a /8, /16 or /24 IPv4 range.`,
    );
  }
  const kept = Number(match[5]) / 8;
  return [...match.slice(1, 1 + kept), "%"].join(".");
}
