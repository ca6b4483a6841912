/** The random provider's resources, drawing real random values from node's CSPRNG. */
import { randomInt } from "node:crypto";
import { genSaltSync, hashSync } from "bcryptjs";
import { Props, bool, num, str } from "./values";

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const NUMERIC = "0123456789";
const DEFAULT_SPECIAL = "!@#$%&*()-_=+[]{}<>:?";

/** The options of `RandomPassword` but its length and special characters, with the random provider's defaults. */
function classOptions(inputs: Props) {
  return {
    upper: bool(inputs.upper) ?? true,
    lower: bool(inputs.lower) ?? true,
    // `number` is the deprecated spelling of `numeric`.
    numeric: bool(inputs.numeric) ?? bool(inputs.number) ?? true,
    special: bool(inputs.special) ?? true,
    minUpper: num(inputs.minUpper) ?? 0,
    minLower: num(inputs.minLower) ?? 0,
    minNumeric: num(inputs.minNumeric) ?? 0,
    minSpecial: num(inputs.minSpecial) ?? 0,
  };
}

const pick = (alphabet: string, count: number): string[] =>
  Array.from({ length: count }, () => alphabet[randomInt(alphabet.length)]);

/**
 * The random provider's algorithm: the required minimum of each class first, the rest from every enabled
 * class, then shuffled.
 */
function generateRandomString(inputs: Props, options: ReturnType<typeof classOptions>): string {
  const length = num(inputs.length) ?? 0;
  const special = str(inputs.overrideSpecial) ?? DEFAULT_SPECIAL;
  const minimums = options.minUpper + options.minLower + options.minNumeric + options.minSpecial;
  if (!Number.isInteger(length) || length < 1) {
    throw new Error(`length ${length} is not a whole number of at least 1.`);
  }
  if (minimums > length) {
    throw new Error(`length ${length} is shorter than the minimum counts it asks for (${minimums}).`);
  }
  const classes: [string, boolean, number][] = [
    [UPPER, options.upper, options.minUpper],
    [LOWER, options.lower, options.minLower],
    [NUMERIC, options.numeric, options.minNumeric],
    [special, options.special, options.minSpecial],
  ];
  const alphabet = classes.map(([characters, enabled]) => (enabled ? characters : "")).join("");
  if (alphabet === "" && length > minimums) {
    throw new Error("upper, lower, numeric and special are all false: there is no character to choose from.");
  }
  const chars = classes.flatMap(([characters, , minimum]) => pick(characters, minimum));
  chars.push(...pick(alphabet, length - chars.length));
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
  const options = classOptions(inputs);
  const result = generateRandomString(inputs, options);
  return {
    id: "none",
    computed: { ...options, number: options.numeric, result, bcryptHash: await hash(result) },
  };
}

/**
 * The provider's bcryptHash is Go's bcrypt (golang.org/x/crypto/bcrypt) at its default cost, 10, which
 * writes the `$2a$` prefix; bcryptjs salts as `$2b$`, the same algorithm under a later name.
 */
export function bcryptHash(password: string): string {
  return hashSync(password, genSaltSync(10).replace(/^\$2b\$/, "$2a$"));
}
