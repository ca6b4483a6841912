import { createHash, randomBytes } from "node:crypto";

/**
 * How the simulator makes up the values a cloud would choose: `deterministic` derives them from a hash, so
 * identical requests give identical answers (mocks, plans, snapshot-like tests); `random` draws them like a
 * real cloud does (the emulated providers, where two creates of one logical name must not collide).
 */
export type Naming = "deterministic" | "random";

/** Hex digest of a string; the one hash the simulator uses for deterministic values. */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * Source of made-up values for one simulated resource. Every value is labelled, so two different values of
 * one resource never share the same digits in deterministic mode.
 */
export class Entropy {
  constructor(
    private readonly seed: string,
    private readonly naming: Naming,
  ) {}

  /** `count` lowercase hex characters. */
  hex(count: number, label: string): string {
    if (this.naming === "random") {
      return randomBytes(Math.ceil(count / 2))
        .toString("hex")
        .slice(0, count);
    }
    let out = "";
    for (let round = 0; out.length < count; round++) {
      out += sha256Hex(`${this.seed}|${label}|${round}`);
    }
    return out.slice(0, count);
  }

  /** A decimal string of exactly `count` digits that does not start with 0 (like GCP's numeric IDs). */
  digits(count: number, label: string): string {
    const hex = this.hex(count * 2, label);
    let out = "";
    for (let i = 0; i < count; i++) {
      const digit = parseInt(hex.slice(i * 2, i * 2 + 2), 16) % 10;
      out += i === 0 && digit === 0 ? "1" : String(digit);
    }
    return out;
  }

  /** An integer in [0, bound). */
  int(bound: number, label: string): number {
    return parseInt(this.hex(12, label), 16) % bound;
  }

  /** A version-4 UUID (random bits from `hex`, so random in random mode). */
  uuid(label: string): string {
    const h = this.hex(32, label);
    const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** `count` characters of base64 (standard alphabet), as in GCP fingerprints and etags. */
  base64(byteCount: number, label: string): string {
    return Buffer.from(this.hex(byteCount * 2, label), "hex").toString("base64");
  }
}

/**
 * The name a provider gives a resource whose name input is absent: `<logical name>-<7 hex chars>`, like
 * Pulumi's autonaming. Deterministic mode hashes the type and the logical name.
 */
export function autoName(type: string, logicalName: string, naming: Naming): string {
  return `${logicalName}-${new Entropy(`${type}|${logicalName}`, naming).hex(7, "autoname")}`;
}
