// Ordering helpers shared by the v2 (ImagePolicy) and v1 (annotation) selectors.

/** What a policy selected. */
export interface Selection {
  /** The tag to deploy. */
  readonly tag: string;
  /** The value the policy compared: the extracted value with filterTags.extract, else the tag. */
  readonly value: string;
  /** How many tags took part in the final comparison. */
  readonly candidates: number;
}

/**
 * Compares strings by their UTF-8 bytes, as Go's `<` on strings does. JavaScript's `<`
 * compares UTF-16 code units, which orders U+E000..U+FFFF after astral characters;
 * code point order is UTF-8 byte order.
 */
export function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs === ys) return x < y ? -1 : 1;
    return xs ? 1 : -1; // a surrogate starts a code point above every BMP character
  }
  return a.length < b.length ? -1 : 1;
}

/**
 * The candidate that sorts last by `compare`; equal candidates go to the byte-wise
 * greatest tag, so the answer never depends on the order the registry listed tags in.
 */
export function pickLast<T extends { readonly tag: string }>(
  items: readonly T[],
  compare: (a: T, b: T) => number,
): T | undefined {
  let best: T | undefined;
  for (const item of items) {
    if (best === undefined) {
      best = item;
      continue;
    }
    const d = compare(item, best);
    if (d > 0 || (d === 0 && compareBytes(item.tag, best.tag) > 0)) best = item;
  }
  return best;
}
