/**
 * bcrypt (OpenBSD `$2a$`), as the random provider's `bcryptHash` uses it (Go's bcrypt, cost 10). Written
 * here because no bcrypt package is installed; Blowfish's initial state (the hex digits of pi) is computed
 * once with BigInt instead of being pasted in as 1,042 constants.
 */
import { randomBytes } from "node:crypto";

const BCRYPT_ALPHABET = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const P_WORDS = 18;
const S_WORDS = 1024;
let initialState: Int32Array | undefined;

/** atan(1/x) scaled by 2^bits, by its Taylor series. */
function arctanInverse(x: bigint, bits: bigint): bigint {
  const xSquared = x * x;
  let power = (1n << bits) / x;
  let sum = power;
  for (let k = 1n; power !== 0n; k++) {
    power /= xSquared;
    const term = power / (2n * k + 1n);
    sum = k % 2n === 1n ? sum - term : sum + term;
  }
  return sum;
}

/** The first 1,042 32-bit words of pi's fractional part: Blowfish's P-array followed by its four S-boxes. */
function piWords(): Int32Array {
  if (!initialState) {
    const words = P_WORDS + S_WORDS;
    const bits = BigInt(words * 32 + 64);
    // Machin's formula: pi = 16 atan(1/5) - 4 atan(1/239).
    const pi = 16n * arctanInverse(5n, bits) - 4n * arctanInverse(239n, bits);
    const fraction = (pi - (3n << bits)) >> 64n;
    const hex = fraction.toString(16).padStart(words * 8, "0");
    initialState = new Int32Array(words);
    for (let i = 0; i < words; i++) {
      initialState[i] = parseInt(hex.slice(i * 8, i * 8 + 8), 16) | 0;
    }
  }
  return initialState;
}

/** Blowfish's round function. */
function feistel(x: number, s: Int32Array): number {
  return (
    ((s[x >>> 24] + s[0x100 | ((x >>> 16) & 0xff)]) ^ s[0x200 | ((x >>> 8) & 0xff)]) + s[0x300 | (x & 0xff)]
  );
}

function encipher(block: Int32Array, offset: number, p: Int32Array, s: Int32Array): void {
  let left = block[offset] ^ p[0];
  let right = block[offset + 1];
  for (let i = 1; i <= 16; i += 2) {
    right ^= feistel(left, s) ^ p[i];
    left ^= feistel(right, s) ^ p[i + 1];
  }
  block[offset] = right ^ p[17];
  block[offset + 1] = left;
}

/** Reads the next big-endian 32-bit word of `data`, cycling; `cursor[0]` is the read position. */
function streamWord(data: Uint8Array, cursor: number[]): number {
  let word = 0;
  for (let i = 0; i < 4; i++) {
    word = (word << 8) | data[cursor[0]];
    cursor[0] = (cursor[0] + 1) % data.length;
  }
  return word;
}

/** Blowfish's key schedule, with bcrypt's salt mixed in when one is given. */
function expandKey(key: Uint8Array, salt: Uint8Array | undefined, p: Int32Array, s: Int32Array): void {
  const keyCursor = [0];
  for (let i = 0; i < P_WORDS; i++) {
    p[i] ^= streamWord(key, keyCursor);
  }
  const saltCursor = [0];
  const block = new Int32Array(2);
  const fill = (target: Int32Array, count: number): void => {
    for (let i = 0; i < count; i += 2) {
      if (salt) {
        block[0] ^= streamWord(salt, saltCursor);
        block[1] ^= streamWord(salt, saltCursor);
      }
      encipher(block, 0, p, s);
      target[i] = block[0];
      target[i + 1] = block[1];
    }
  };
  fill(p, P_WORDS);
  fill(s, S_WORDS);
}

function encodeBase64(bytes: Uint8Array, length: number): string {
  let out = "";
  let i = 0;
  while (i < length) {
    const c1 = bytes[i++];
    out += BCRYPT_ALPHABET[c1 >> 2];
    let carry = (c1 & 0x03) << 4;
    if (i >= length) {
      out += BCRYPT_ALPHABET[carry];
      break;
    }
    const c2 = bytes[i++];
    out += BCRYPT_ALPHABET[carry | (c2 >> 4)];
    carry = (c2 & 0x0f) << 2;
    if (i >= length) {
      out += BCRYPT_ALPHABET[carry];
      break;
    }
    const c3 = bytes[i++];
    out += BCRYPT_ALPHABET[carry | (c3 >> 6)];
    out += BCRYPT_ALPHABET[c3 & 0x3f];
  }
  return out;
}

function decodeBase64(text: string, length: number): Uint8Array {
  const values = [...text].map((c) => {
    const v = BCRYPT_ALPHABET.indexOf(c);
    if (v < 0) {
      throw new Error(`"${c}" is not a bcrypt base64 character.`);
    }
    return v;
  });
  const out = new Uint8Array(length);
  let bit = 0;
  let acc = 0;
  let n = 0;
  for (const v of values) {
    acc = (acc << 6) | v;
    bit += 6;
    if (bit >= 8) {
      bit -= 8;
      if (n < length) {
        out[n++] = (acc >> bit) & 0xff;
      }
    }
  }
  return out;
}

/** bcrypt of `password` with a 16-byte salt and cost (log2 rounds, 4–31). */
export function bcryptWithSalt(password: string, salt: Uint8Array, cost: number): string {
  if (!Number.isInteger(cost) || cost < 4 || cost > 31) {
    throw new Error(`bcrypt cost ${cost} is not a whole number from 4 to 31.`);
  }
  // $2a$: the password's bytes and a terminating NUL, at most 72 bytes.
  const key = new Uint8Array([...Buffer.from(password, "utf8"), 0]).slice(0, 72);
  const state = piWords().slice();
  const p = state.subarray(0, P_WORDS);
  const s = state.subarray(P_WORDS);
  expandKey(key, salt, p, s);
  for (let round = 0; round < 2 ** cost; round++) {
    expandKey(key, undefined, p, s);
    expandKey(salt, undefined, p, s);
  }
  const text = Buffer.from("OrpheanBeholderScryDoubt", "latin1");
  const block = new Int32Array(6);
  for (let i = 0; i < 6; i++) {
    block[i] = text.readInt32BE(i * 4);
  }
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 6; j += 2) {
      encipher(block, j, p, s);
    }
  }
  const digest = Buffer.alloc(24);
  block.forEach((word, i) => digest.writeInt32BE(word, i * 4));
  return `$2a$${String(cost).padStart(2, "0")}$${encodeBase64(salt, 16)}${encodeBase64(digest, 23)}`;
}

/** A fresh bcrypt hash of `password`, with a random salt and Go's default cost (10) unless told otherwise. */
export function bcryptHash(password: string, cost = 10): string {
  return bcryptWithSalt(password, randomBytes(16), cost);
}

/** Whether `hash` (`$2a$`/`$2b$`/`$2y$`) is the bcrypt of `password`. */
export function bcryptVerify(password: string, hash: string): boolean {
  const match = /^\$2[aby]\$(\d\d)\$([./A-Za-z0-9]{22})([./A-Za-z0-9]{31})$/.exec(hash);
  if (!match) {
    return false;
  }
  const expected = bcryptWithSalt(password, decodeBase64(match[2], 16), Number(match[1]));
  return expected.slice(7) === hash.slice(7);
}
