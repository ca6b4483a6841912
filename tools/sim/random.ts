/** The random provider's resources, drawing real random values from node's CSPRNG. */
import { randomInt } from "node:crypto";
import { genSaltSync, hashSync } from "bcryptjs";
import { Props, bool, num, str } from "./values";

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const NUMERIC = "0123456789";
const DEFAULT_SPECIAL = "!@#$%&*()-_=+[]{}<>:?";

/** The options of `RandomString`/`RandomPassword`, with the random provider's defaults. */
export interface RandomStringOptions {
  readonly length: number;
  readonly upper: boolean;
  readonly lower: boolean;
  readonly numeric: boolean;
  readonly special: boolean;
  readonly overrideSpecial?: string;
  readonly minUpper: number;
  readonly minLower: number;
  readonly minNumeric: number;
  readonly minSpecial: number;
}

export function randomStringOptions(inputs: Props): RandomStringOptions {
  return {
    length: num(inputs.length) ?? 0,
    upper: bool(inputs.upper) ?? true,
    lower: bool(inputs.lower) ?? true,
    // `number` is the deprecated spelling of `numeric`.
    numeric: bool(inputs.numeric) ?? bool(inputs.number) ?? true,
    special: bool(inputs.special) ?? true,
    overrideSpecial: str(inputs.overrideSpecial),
    minUpper: num(inputs.minUpper) ?? 0,
    minLower: num(inputs.minLower) ?? 0,
    minNumeric: num(inputs.minNumeric) ?? 0,
    minSpecial: num(inputs.minSpecial) ?? 0,
  };
}

function pick(alphabet: string, count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    out.push(alphabet[randomInt(alphabet.length)]);
  }
  return out;
}

/**
 * The random provider's algorithm: the required minimum of each class first, the rest from every enabled
 * class, then shuffled.
 */
export function generateRandomString(options: RandomStringOptions): string {
  const special = options.overrideSpecial ?? DEFAULT_SPECIAL;
  const minimums = options.minUpper + options.minLower + options.minNumeric + options.minSpecial;
  if (!Number.isInteger(options.length) || options.length < 1) {
    throw new Error(`length ${options.length} is not a whole number of at least 1.`);
  }
  if (minimums > options.length) {
    throw new Error(`length ${options.length} is shorter than the minimum counts it asks for (${minimums}).`);
  }
  const alphabet =
    (options.upper ? UPPER : "") +
    (options.lower ? LOWER : "") +
    (options.numeric ? NUMERIC : "") +
    (options.special ? special : "");
  if (alphabet === "" && options.length > minimums) {
    throw new Error("upper, lower, numeric and special are all false: there is no character to choose from.");
  }
  const chars = [
    ...pick(UPPER, options.minUpper),
    ...pick(LOWER, options.minLower),
    ...pick(NUMERIC, options.minNumeric),
    ...pick(special, options.minSpecial),
  ];
  chars.push(...pick(alphabet, options.length - chars.length));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join("");
}

/** `random:index/randomPassword:RandomPassword`; `hash` computes its bcryptHash (see bcryptHash). */
export async function randomPassword(
  inputs: Props,
  hash: (password: string) => Promise<string>,
): Promise<{ id: string; computed: Props }> {
  const result = generateRandomString(randomStringOptions(inputs));
  return { id: "none", computed: { ...defaults(inputs), result, bcryptHash: await hash(result) } };
}

/**
 * The provider's bcryptHash is Go's bcrypt (golang.org/x/crypto/bcrypt) at its default cost, 10, which
 * writes the `$2a$` prefix; bcryptjs salts as `$2b$`, the same algorithm under a later name.
 */
export function bcryptHash(password: string): string {
  return hashSync(password, genSaltSync(10).replace(/^\$2b\$/, "$2a$"));
}

function defaults(inputs: Props): Props {
  const options = randomStringOptions(inputs);
  return {
    upper: options.upper,
    lower: options.lower,
    numeric: options.numeric,
    number: options.numeric,
    special: options.special,
    minUpper: options.minUpper,
    minLower: options.minLower,
    minNumeric: options.minNumeric,
    minSpecial: options.minSpecial,
  };
}
