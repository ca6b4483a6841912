/**
 * bcrypt (OpenBSD `$2a$`), as the random provider's `bcryptHash` uses it (Go's bcrypt, cost 10). Written
 * here because no bcrypt package is installed. Blowfish's initial state (the hex digits of pi) is embedded,
 * and a test checks it against pi computed with BigInt.
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

/**
 * The first 1,042 32-bit words of pi's fractional part, Blowfish's P-array followed by its four S-boxes,
 * big-endian in base64. A test recomputes them with `computePiWords`.
 */
const BLOWFISH_INITIAL_STATE = [
  "JD9qiIWjCNMTGYouA3BzRKQJOCIpnzHQCC76mOxObIlFKCHmONATd75UZs806QxswKwpt8l8UN0/hNW1tUcJF5IW1dmJefsb",
  "0TELppjftawv/XLb0Brft7jhr+1qJn6WunyQRfEsf5kkoZlHs5Fs9wgB8uKFjvwWY2kg2HFXTmmkWP6j9JM9fg2VdI9yjrZY",
  "cYvNWIIVSu57VKQdwlpZtZww1Tkq8mATxdGwIyhghfDKQXkYuNs474553LBgOhgObJ4Oi7Aeij7XFXfBvTFLJ3ivL9pVYFxg",
  "5lUl86pVq5RXSJhiY+gUQFXKOWoqqxC2tMxcNBFB6M6hVIavfHLpk7PuFBFjb7wqK6nFXXQYMfbOXD4Wm4eTHq/WujNsJM9c",
  "ejJTgSiVhnc7j0iYa0u5r8S/6BtmKCGTYdgJzPshqZFIfKxgXeyAMu+EXV3phXWx3CYjAutlG4gjiT6B05asxQ9tb/OD9EI5",
  "LgtEgqSEIARpyPBKnh+bXiHGaEL26WyaZwycYavTiPBqUaDS2FQvaJYPpyirUTOjbu8LbBN6O+S6O/BQfvsqmKHxZR05rwF2",
  "ZspZPoJDDoiM7oYZRW+ftH2EpcM7i16+4G912IXBIHNAGkSfVsFqpk7TqmI2P3cGG/7fckKbAj030Nck0AoSSNsP6tNJ8cCb",
  "B1NyyYCZG3sl1HnY9uje9+P+UBq2eUw7l2zgvQTABrrBqU+2QJ9gxF5cnsIZaiRjaPtvrz5sU7UTObLrO1Lsb238UR+bMJUs",
  "zIFFRK9evQm+49AE3jNK/WYPKAcZLkuzwMuoV0XIdA/SC185udP721V5wL0aYDIK1qEAxkAscnlnnyX++x+jzI6l6fjbMiL4",
  "PHUW3/1haxUvUB7IrQVSqzI9tfr9I4dgUzF7SD4A34KeXFe7ym+MoBqHVi7fF2nb1UKo9ih+/8OsZzLGjE9Vc2lbJ7C7yljI",
  "4f+jXbjwEaAQ+j2Y/SGDuEr8tWwt0dNbmlPkebb4RWXSjkm8S/uXkOHd8tqky34zYvsTQc7kxujvIMraNndMAdB+nv4r8R+0",
  "ldvaTa6QkZjqrY5xa5PVoNCO0dCvxyXgjjxbL451lLeP9uL78hIrZIiIuBKQDfAcT61eoGiPwxzRz/GRs6jBrS8vIhi+Dhd3",
  "6nUt/osCH6HloMwPtW906Bis89bOieKZtKhP4P0T4Ld8xDuB0q2o2RZfomaAlXcFk8xzFCEaFHfmrSBld7X6hsdUQvX7nTXP",
  "682vDHs+iaDWQRvTrh5+SQAlDi0gcbNeImgAu1e44K8kZDab8Am5HlVjkR1Z36aqeMFDidlaU38gfVuiAuW5xYMmA3Zilc+p",
  "EcgZaE5zSkGzRy3KexSpShtRAFKaUykV1g9XP7ybxuQrYKR2geZ0AAi6b7VXG+kf8pbsayoN2RW2Y2Uh57n5tv80BS7FhVZk",
  "U7AtXamfj6EIukeZboUHakt6cOm1sylE23UJLsQZJiOtbqawSafffZzuYLiP7bJm7KqMcWmaF/9WZFJswrGe4Rk2AqV1CUwp",
  "oFkTQOQYOj4/VJiaW0KdZWuP5NaZ9z/WodKcB+/oMPVNLTjm8CVdwUzdIIaEcOsmY4LpxgIezF4JaGs/PrrvyTyXGBRranCh",
  "aH81hFKg4oa3nFMFqlAHNz4HhBx/3q5cjn1E7FcW8riwOto38FAMDfAcHwQCALP/rgz1Gjy1dLIlg3pY3AkhvdGRE/l8qS/2",
  "lDJHcyL1RwE65eWBN8La3Mi1djSa892nqURhRg/QAw7syMc+pHUeQeI4zZk76g4vMoC7oRg+szFOVIs4T225CG9CDQP2CgS/",
  "LLgSkCSXfHlWebByvK+Jr96adx/ZkwgQs4uuEtzPPy5VEnIfLmtxJFAa3eafhM2HelhHGHQI2he8n5q86Ut9jOx67DrbhR36",
  "YwlDZsRkw9LvHBhHMhXZCN1DOzckwroWEqFNQyplxFFQlAACEzrk3XHf+J4QMU5Vgax31l8RGZsENVbx16PHazwRGDtZJKUJ",
  "8o/m7Zfx+/qeur8sHhU8bobjRXDq6W+xhg5eClo+KrN3H+ccTj0G+ill3LmZ5x0PgD6J1lJmyCUuTMl4nBCzasYVDrqU4up4",
  "pfw8Ux4KLfTy906nNh0rPRk5Jg8ZwnlgUiOnCPcTErbrrf5u6sMfZuO8RZWme8iDsX830QGM/yjDMt3vvmxapWVYIYVoq5gC",
  "7s6lD9svlTsq732tW24vhBUhtigpB2Fw7N1HdWGfFRATzKgw62G9lgM0/h6qA2PPtXNckExwojnVnp4Ly6reFO7MhrxgYiyn",
  "nKtcq7LzhG5kix6vGb3wyqAjabllWrtQQGhaMjwqtLMxnunVwCG495tUCxmHX6CZlfeZfmI9faj4N4ial+MtdxHtk18WaBKB",
  "DjWIKcfmH9aW3t+heFi6mVf1hKUbInJjm4PD/xrCRpbNswrrUy4wVI/ZSORtvDEoWOvy7zTG/+r+KO1h7nw8c11KFNnoZLfj",
  "QhBdFCA+E+BF7uK2o6qr6ttsTxX6y0/Qx0L0Qu9qu7VlTzsdQc0hBdgeeZ6GhU3H5EtHaj2BYlDPYqHyW40mRvyIg6DBx7aj",
  "fxUkw2nLdJJHhIoLVpKyhQlbvwCtGUidFGKxdCOCDgBYQo0qDFX16h2t9D4jP3BhM3Lwko2TfkHWX+zxbCI723zeN1nL7nRg",
  "QIXyp853Mm6mB4CEGfhQnujv2FVh2Zc1qWmnqsUMBsJaBKv8gAvK3J5Eei7DRTSE/dVnBQ4ensnbc9vTEFWIzWdf2nnjZ0NA",
  "xcQ0ZXE+ONg9KPie8W3/IBU+IeePsD1K5uOfK9uDrffpPVpolIFA9/ZMJhyUaSk0QRUg93YC1Pe89Gsu1KIAaNQIJHEzIPRq",
  "Q7fUt1AAYa8eOfYulyRFRhQhT3S/i4hATZX8HZa1ka9w9N3TZqAvRb+8CewDvZeFf6xt0DHLhQSW6yezVf05QdolR+arygqa",
  "KFB4JVMEKfQKLIba6bZt+2jcFGLXSGkAaA7ApCehje5PP/6i6IetjLWM4AZ69Na2qs4efNM3X+zOeKOZQGsqQiD+njXZ84W5",
  "7jnXqzsSTosdyfr3S20YViajZjHq45eyOm76dN1bQzJoQef3yngg+/sK9U7Y/rOXRUBWrLpIlSdVUzo6IIONh/5rqbfQlpVL",
  "VahnvKEVmljMqSljmeHbM6YqSlY/MSX5XvR+HJApMXz9+OgCBCcvcIC7FVwFKCzjlcEVSOTGbSJIwRM/xw+G3Af5ye5BBB8P",
  "QEd5pF2IbhcyX1Hr1ZvA0fK8wY9BETVkJXt4NGAqnGDf+OijH2NsGw4StMIC4TKer2ZP0crRgRVrI5XgMz6S4TskC2Luvrki",
  "hbKiDua6DZnecgyMLaL3KNASeEWVt5T9ZH0IYufM9fBUSaNvh31I+sOd/SfzPo0eCkdjQZku/3Q6b26r9Pj9N6gS3GCh6934",
  "mRvhTNtuaw3Ge1UQbWcsNydl1Dvc0OgE8SkNx8wA/6O1OQ+SaQ/tC2Z7n/vO232coJHPC9kVXqO7Ey+IUVutJHuUeb92O9br",
  "Nzkus8wRWXmAJuKX9C4xLWhCrafGais7EnVMzHgu8RxqEkI3t5JR5wahu+ZL+2NQGmsQGBHK7fo9Jb3Y4uHDyURCFlkKEhOG",
  "2QzsbtWr6ipkr2dO2oaoX76/6Yhk5MP+nbyAV/D3wIZgeHv4YANgTdH9g0b2OB+wd0WuBNc2/MyDQmsz8B6rcbCAQYc8AF5f",
  "d6BXvr3oriRVRkKZv1guYU5Y9I/y3f2i9HTvOIeJvcJTZvnDyLOOdLR18lVG/Nm5eusmYYsd34SEag55kV+V4kZuWY4gtFdw",
  "jNVVkckC3ky5C6zhu4IF0BGoYkh1dKmet38ZtuCp3AlmLQmhxDJGM+haHwIJ8L6MSpmgJR1u/hAauT0dC6Wk36GG8g8oaPFp",
  "3Lfag1c5Bv6h4s6bT81/UlARXgGnBoP6oAK1xA3m0Cea+Iwndz+GQcNgTAZhqAa18Bd6KMD1huAAYFiqMNx9YhHmntcjOOpj",
  "U8LdlMLCFjS7y+5WkLy23uv8faHOWR12bwXkCUt8AYg5cgo9fJJ8JIbjcl9yTZ25GsFbtNOeuPztVFV4CPyltdg9fNNNrQ/E",
  "HlDvXrFh5viihRTZbFETPG/Vx+dW4U7ENiq/zt3GyDfXmjI0kmOCEmcO+o5AYADgOjnON9P69c+rwnc3WsUtG1ywZ55PozdC",
  "04InQJm8m77VEY6dvw9zFdYtHH7HAMR7t4wbayGhkEWybrG+ajZutFdIqy+8lG55xqN20mVJwshTD/juRo3efdVzCh1M0E3G",
  "KTm726m6RlCslSbovl7jBKH61fBqLVGaY++M4pqG7iLAicK4QyQu9qUeA6qc8tCkg8Bhupvpak2P5RVQumRb1igmovmnOjrh",
  "S6mVhu9VYunHL+/T91L32j8Eb2l3+gpZgOSpFYewhgGbCeatOz7lk+mQ/VqeNNeXLPC32QIri1GW1aw6AX2mfdHPPtZ8fS0o",
  "H58lz63yuJta1rRyWoj1TOAprHHgGaXmR7Cs/e2T+pvo08SNKDtXzPjVZil5Ey4oeF8Bke11YFX3lg5E49NejBUFbdSI9G26",
  "A6FhJQVk8L3D654VPJBXopcnGuypOgcqGz9tmx5jIfX1nGb7JtzzGXUz2SixVf31A1Y0goq6PLsoUXcRwgrZ+KvMUWfMrZJf",
  "TegXUTgw3I43nVhikyD5kep6kML7PnvOUSHOZHdPvjKotuN+wyk9RkjeU2lkE+aAoq4IEN1tsiRphS39CQchZrOaRgpkRcDd",
  "WGzezxwgyK5bvvfdG1iNQMzSAX9rtOO73aJqfjpZ/0U+NQpEvLTN1XLqzqj6ZIS7jWYSrr88b0fSm+RjVC9dnq7Cdxv2TmNw",
  "dA4NjedbE1f4chZxr1N9XUBAywhOtOLMNNJGagEVr4ThsAQolZg6HQa4n7TObqBIbz87gjUgq4IBGh1LJ3In+GEVYLHnkz/c",
  "uzp5KzRFJb2giDnhUc55Sy8yybegH7rJ4BzIfrzH0fbPARHDoeiqxxqQh0nUT72a0Nrey9UK2jgDOcMqxpE2Z435MXzgsStP",
  "955Zt0P1uzry1Rn/J9lFnL+XIiwV5vwqD5H8cZuUFSX65ZNhzrac68KoZFkSuqjRtsEHXuMFagwQ0lBlywOkQuDsbg4WmNs7",
  "TJigvjJ46WSfH5Uy4NOS39OgNCuJcfIeGwp0QUujNIzFvnEgw3Yy2N81n42bmS8u5gtvRw/j8R3lTNpUHtrYkc5iec/NPn5v",
  "FhixZv0sHQWEj9LF9vsimfUj81emMnYjk6g1MVbMzQKs8IFiWnXrtW4WNpeI0nPM3pZikoG5SdBMUJAbccZWFObGx70yehQK",
  "ReHQBsPye5rJqlP9YqgPALslv+I1vdL2cRJpBbIEAiK2y898zXacK1MRPsAWQOPTOKu9YCVHrfC6OCCc90bOdnevocUgdWBg",
  "hcv+Torojdh6qvmwTPmqfhlIwlwC+4qMAcNq5Nbr4fmQ1PhpplzeoD8JJS3CCOaft05hMs534ltXj9/jOsNy5g==",
].join("");

function piWords(): Int32Array {
  if (!initialState) {
    const bytes = Buffer.from(BLOWFISH_INITIAL_STATE, "base64");
    initialState = new Int32Array(P_WORDS + S_WORDS);
    for (let i = 0; i < initialState.length; i++) {
      initialState[i] = bytes.readInt32BE(i * 4);
    }
  }
  return initialState;
}

/** The same words computed from pi (Machin's formula) with BigInt: slow (~60 ms), for the test. */
export function computePiWords(): Int32Array {
  const words = P_WORDS + S_WORDS;
  const bits = BigInt(words * 32 + 64);
  // pi = 16 atan(1/5) - 4 atan(1/239).
  const pi = 16n * arctanInverse(5n, bits) - 4n * arctanInverse(239n, bits);
  const fraction = (pi - (3n << bits)) >> 64n;
  const hex = fraction.toString(16).padStart(words * 8, "0");
  const out = new Int32Array(words);
  for (let i = 0; i < words; i++) {
    out[i] = parseInt(hex.slice(i * 8, i * 8 + 8), 16) | 0;
  }
  return out;
}

/** The initial state the hashing uses, for the test that compares it with `computePiWords`. */
export function blowfishInitialState(): Int32Array {
  return piWords().slice();
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
