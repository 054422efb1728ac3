// Exact decimal numbers for `numerical` ordering. Flux parses values with Go's
// strconv.ParseFloat into float64, so 1.00000000000000001 equals 1 and integers above
// 2^53 collide; comparing the digits themselves keeps every distinct number distinct.
//
// A value is 0.d1d2d3… × 10^exp with no leading or trailing zero digits, so comparing
// two numbers of the same sign is: larger exp wins, then the digit strings compare
// like text. No big arithmetic, and "1e999999999" costs no memory.

export interface Decimal {
  readonly sign: -1 | 0 | 1;
  /** Significant digits, no leading or trailing zeros; "" for zero. */
  readonly digits: string;
  /** Power of ten of the leading digit's place plus one. */
  readonly exp: bigint;
}

// Go's ParseFloat syntax for decimal numbers, with "_" allowed between digits as Go
// allows it. Go also takes "Inf", "NaN" and hex floats ("0x1p4"); none of those is an
// ordering anyone means, so they are rejected.
const D = "[0-9]+(?:_[0-9]+)*";
const DECIMAL = new RegExp(`^([+-]?)(?:(${D})(?:\\.(${D})?)?|\\.(${D}))(?:[eE]([+-]?${D}))?$`);

/** Parses a decimal number (sign, digits, optional fraction and exponent). */
export function parseDecimal(s: string): Decimal | undefined {
  const m = DECIMAL.exec(s);
  if (m === null) return undefined;
  const [, signText = "", intPart = "", fracPart = "", fracOnly, expText = "0"] = m.map((g) =>
    g?.replaceAll("_", ""),
  );
  const whole = fracOnly === undefined ? intPart + fracPart : fracOnly;
  const pointAt = fracOnly === undefined ? intPart.length : 0;
  const lead = whole.length - whole.replace(/^0+/, "").length;
  const digits = whole.slice(lead).replace(/0+$/, "");
  if (digits === "") return { sign: 0, digits: "", exp: 0n };
  return {
    sign: signText === "-" ? -1 : 1,
    digits,
    exp: BigInt(pointAt - lead) + BigInt(expText),
  };
}

/** -1, 0 or 1; exact for any two parsed decimals. */
export function compareDecimals(a: Decimal, b: Decimal): number {
  if (a.sign !== b.sign) return a.sign < b.sign ? -1 : 1;
  if (a.sign === 0) return 0;
  let magnitude: number;
  if (a.exp !== b.exp) magnitude = a.exp < b.exp ? -1 : 1;
  else if (a.digits === b.digits) magnitude = 0;
  else magnitude = a.digits < b.digits ? -1 : 1;
  return magnitude * a.sign;
}
