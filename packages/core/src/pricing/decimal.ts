/**
 * Exact decimal arithmetic for costs: values are BigInts scaled by 10^SCALE, so sums and
 * price × units products carry no binary floating-point drift. Results go back to `number`
 * once, by parsing their exact decimal text, which yields the double nearest the true value.
 */
const SCALE = 30;
const FACTOR = 10n ** BigInt(SCALE);

export type Decimal = bigint;

/** Converts a finite JS number to its exact shortest decimal representation, scaled. */
export function toDecimal(n: number): Decimal {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite number: ${n}`);
  const text = n.toString();
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i.exec(text);
  if (!m) throw new RangeError(`cannot parse number: ${text}`);
  const [, sign, int, frac = '', exp = '0'] = m;
  const digits = BigInt(int + frac);
  const shift = SCALE + Number(exp) - frac.length;
  const scaled = shift >= 0 ? digits * 10n ** BigInt(shift) : digits / 10n ** BigInt(-shift);
  return sign ? -scaled : scaled;
}

/** The exact decimal text of a scaled value, without trailing zeros. */
export function decimalText(d: Decimal): string {
  const neg = d < 0n;
  const abs = neg ? -d : d;
  const int = abs / FACTOR;
  const frac = (abs % FACTOR).toString().padStart(SCALE, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

/** Back to a JS number: the double nearest the exact decimal value. */
export function fromDecimal(d: Decimal): number {
  return Number(decimalText(d));
}

/** price × integer units, exactly. */
export function multiplyUnits(price: number, units: number): Decimal {
  return toDecimal(price) * BigInt(Math.trunc(units));
}

/** Exact sum of JS numbers, returned as the nearest double. */
export function exactSum(values: number[]): number {
  return fromDecimal(values.reduce<Decimal>((s, v) => s + toDecimal(v), 0n));
}
