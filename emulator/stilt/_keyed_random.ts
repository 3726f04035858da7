// Private: deterministic pseudo-random numbers for the STILT dataset. Every
// value is a pure function of (seed, key parts), so any slot can be generated
// on its own, in any order, with the same result.

import { mulberry32 } from "../_prng.ts";

/** A 32-bit hash of the seed and the key parts (FNV-1a, then a murmur3 finaliser). */
export function hash32(seed: number, ...parts: (string | number)[]): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (const part of parts) {
    const s = typeof part === "number" ? `#${part}` : part;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    h ^= 0xff; // separator, so ("ab","c") and ("a","bc") differ
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform number in [0, 1) determined by the seed and the key parts. */
export function uniform(seed: number, ...parts: (string | number)[]): number {
  return hash32(seed, ...parts) / 4294967296;
}

/** A standard normal number determined by the seed and the key parts (Box–Muller). */
export function gaussian(seed: number, ...parts: (string | number)[]): number {
  const u1 = (hash32(seed, ...parts, "g1") + 1) / 4294967297;
  const u2 = hash32(seed, ...parts, "g2") / 4294967296;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** A sequence of pseudo-random draws (mulberry32) seeded by the seed and the key parts. */
export interface RandomStream {
  /** Next uniform number in [0, 1). */
  uniform(): number;
  /** Next standard normal number. */
  gaussian(): number;
}

/** A fast stream of draws for one key (used when many numbers are needed per slot). */
export function stream(seed: number, ...parts: (string | number)[]): RandomStream {
  const uniform = mulberry32(hash32(seed, ...parts));
  const gaussian = () => {
    const u1 = 1 - uniform();
    const u2 = uniform();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  };
  return { uniform, gaussian };
}
