/** A duration: milliseconds as a number, or a string with a unit (`"250ms"`, `"90s"`, `"5m"`, `"1h"`, `"7d"`). */
export type DurationInput = number | string;

const UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const PATTERN = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)\s*$/;

/**
 * Parses a duration into milliseconds. The one place durations are parsed.
 * Accepts a non-negative finite number (milliseconds) or a string such as `"90s"` or `"1.5h"`; compound
 * strings (`"1h30m"`) are also accepted. Returns `undefined` when the input is not a valid duration.
 */
export function parseDuration(input: DurationInput): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) && input >= 0 ? Math.round(input) : undefined;
  if (typeof input !== 'string' || input.trim() === '') return undefined;
  const single = PATTERN.exec(input);
  if (single) return Math.round(Number(single[1]) * (UNITS[single[2] as string] as number));
  const parts = input.trim().match(/\d+(?:\.\d+)?(?:ms|s|m|h|d|w)/g);
  if (!parts || parts.join('') !== input.trim()) return undefined;
  let total = 0;
  for (const part of parts) total += parseDuration(part) ?? Number.NaN;
  return Number.isFinite(total) ? total : undefined;
}

/** Formats milliseconds as a short human duration (`"90s"`, `"5m"`, `"1h"`, `"250ms"`). */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const size = UNITS[unit] as number;
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
