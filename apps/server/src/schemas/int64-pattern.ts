const INT64_MAX = '9223372036854775807';
const INT64_MIN_MAGNITUDE = '9223372036854775808';

/** Alternatives matching exactly `max.length` digits, the first non-zero, whose value is at most `max`. */
function atMostSameLength(max: string): string[] {
  const alts: string[] = [];
  for (let i = 0; i < max.length; i++) {
    const d = Number(max[i]);
    const lowest = i === 0 ? 1 : 0;
    if (d > lowest) {
      const digit = d - 1 === lowest ? String(lowest) : `[${lowest}-${d - 1}]`;
      const rest = max.length - i - 1;
      alts.push(`${max.slice(0, i)}${digit}${rest > 0 ? `[0-9]{${rest}}` : ''}`);
    }
  }
  alts.push(max);
  return alts;
}

/** A run of at most `n` zeros (`n` undefined: any number). */
function zeros(n: number | undefined): string {
  if (n === undefined) return '0*';
  return n === 0 ? '' : `0{0,${n}}`;
}

/** Digit strings (leading zeros allowed, at most `maxDigits` digits when given) whose value is <= `max`. */
function magnitudeAtMost(max: string, maxDigits: number | undefined): string {
  const m = max.length;
  const alts = [maxDigits === undefined ? '0+' : `0{1,${maxDigits}}`];
  if (maxDigits === undefined) alts.push(`0*[1-9][0-9]{0,${m - 2}}`);
  else {
    for (let s = 1; s < m; s++) alts.push(`${zeros(maxDigits - s)}[1-9]${s > 1 ? `[0-9]{${s - 1}}` : ''}`);
  }
  const top = zeros(maxDigits === undefined ? undefined : maxDigits - m);
  alts.push(`${top}(?:${atMostSameLength(max).join('|')})`);
  return alts.join('|');
}

/**
 * A regular expression (JSON Schema `pattern`, ASCII digits only) for the decimal strings of a signed
 * 64-bit integer: an optional `-`, digits with any leading zeros (at most `maxDigits` digits when given), and a
 * value in [-2^63, 2^63-1]. Exactly the strings @granary/core accepts: join keys take `maxDigits: 20`
 * (`^-?\d{1,20}$` then the range), feature values any number of digits (`^-?\d+$` then the range).
 */
export function int64DecimalPattern(maxDigits?: number): string {
  if (maxDigits !== undefined && maxDigits < INT64_MIN_MAGNITUDE.length) {
    throw new Error(`maxDigits must be at least ${INT64_MIN_MAGNITUDE.length}`);
  }
  return `^(?:${magnitudeAtMost(INT64_MAX, maxDigits)}|-(?:${magnitudeAtMost(INT64_MIN_MAGNITUDE, maxDigits)}))$`;
}
