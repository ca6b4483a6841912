import type { Naming } from "./entropy";

/** The simulated clock: fixed in deterministic mode, so timestamps do not break identical-output runs. */
const DETERMINISTIC_NOW = Date.parse("2025-01-01T08:00:00.000Z");

export function simNow(naming: Naming): Date {
  return new Date(naming === "deterministic" ? DETERMINISTIC_NOW : Date.now());
}

export function addHours(date: Date, hours: number): Date {
  return new Date(date.getTime() + hours * 3_600_000);
}

/** GCP's API timestamps: RFC 3339 in US Pacific time with milliseconds, e.g. `2025-01-01T00:00:00.000-08:00`. */
export function gcpTimestamp(date: Date): string {
  return `${new Date(date.getTime() - 8 * 3_600_000).toISOString().slice(0, 23)}-08:00`;
}

/** RFC 3339 in UTC without fractions, as the tls provider and Cloud SQL's certificate fields print. */
export function rfc3339(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
