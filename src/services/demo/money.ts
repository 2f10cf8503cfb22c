/**
 * Exact arithmetic for the generator. Money is held in integer fen (1/100 yuan), rates
 * and shares in integer millionths (ppm, the scale of the numeric(9,6) and numeric(7,6)
 * columns), quantities in ten-thousandths (numeric(18,4)). Products that could leave the
 * exactly representable integer range fall back to BigInt, so no amount is ever the
 * result of floating-point arithmetic.
 */

/** Millionths in one: the scale of rates and shares. */
export const PPM = 1_000_000;

/** `a × b / c` rounded half up, for non-negative integers. */
export function mulDiv(a: number, b: number, c: number): number {
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || !Number.isSafeInteger(c) || a < 0 || b < 0 || c <= 0) {
    throw new RangeError(`mulDiv expects non-negative safe integers, got ${a} × ${b} / ${c}`);
  }
  const product = a * b;
  if (Number.isSafeInteger(product)) {
    const remainder = product % c;
    const quotient = (product - remainder) / c;
    return remainder * 2 >= c ? quotient + 1 : quotient;
  }
  const big = BigInt(a) * BigInt(b);
  const bc = BigInt(c);
  const quotient = big / bc;
  return Number(big % bc * 2n >= bc ? quotient + 1n : quotient);
}

/**
 * Splits `total` into parts proportional to integer `weights` that add up to `total`
 * exactly (largest remainder; ties go to the earlier weight).
 */
export function splitByWeights(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  if (sum <= 0) throw new RangeError('splitByWeights: weights must add up to more than 0');
  const parts: number[] = [];
  const remainders: Array<[number, number]> = [];
  let assigned = 0;
  weights.forEach((weight, i) => {
    const big = BigInt(total) * BigInt(weight);
    const part = Number(big / BigInt(sum));
    parts.push(part);
    remainders.push([Number(big % BigInt(sum)), i]);
    assigned += part;
  });
  remainders.sort((x, y) => y[0] - x[0] || x[1] - y[1]);
  for (let k = 0; k < total - assigned; k++) parts[remainders[k][1]] += 1;
  return parts;
}

/** Integer units → a decimal string with `scale` digits after the point. */
function fixed(units: number, scale: number): string {
  if (!Number.isSafeInteger(units)) throw new RangeError(`Not an integer amount: ${units}`);
  const negative = units < 0;
  const digits = String(Math.abs(units)).padStart(scale + 1, '0');
  const text = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  return negative ? `-${text}` : text;
}

/** Fen → `"12345.67"` (yuan). */
export function yuan(fen: number): string {
  return fixed(fen, 2);
}

/** Millionths → `"0.043500"`. */
export function ppmString(ppm: number): string {
  return fixed(ppm, 6);
}

/** Ten-thousandths → `"12.5000"`. */
export function quantityString(units: number): string {
  return fixed(units, 4);
}

/**
 * Parses a non-negative decimal string (as PostgreSQL returns numeric) into integer
 * units of 10^-scale, rejecting values with more precision than the scale holds.
 */
export function parseDecimal(text: string, scale: number): number {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (match === null) throw new RangeError(`Not a non-negative decimal: ${JSON.stringify(text)}`);
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > scale) throw new RangeError(`${text} has more than ${scale} decimal places`);
  const units = Number(match[1] + fraction.padEnd(scale, '0'));
  if (!Number.isSafeInteger(units)) throw new RangeError(`${text} is too large`);
  return units;
}

/** Rounds fen down to a multiple of `step` fen (at least one step). */
export function roundDownTo(fen: number, step: number): number {
  return Math.max(step, fen - (fen % step));
}
