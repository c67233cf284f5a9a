/** Edit distance with adjacent transpositions (optimal string alignment). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

const normal = (s: string) => s.replaceAll(/[_-]/g, '').toLowerCase();

/**
 * The known name closest to `name` (the same ignoring case, `_` and `-`, or at most a third of its letters
 * away, a swap of two neighbours counting once), or undefined when none is close.
 */
export function didYouMean(name: string, known: readonly string[]): string | undefined {
  const exact = known.find((k) => normal(k) === normal(name));
  if (exact) return exact;
  let best: { name: string; d: number } | undefined;
  for (const k of known) {
    const d = distance(normal(name), normal(k));
    const limit = Math.max(1, Math.floor(Math.max(name.length, k.length) / 3));
    if (d <= limit && (!best || d < best.d)) best = { name: k, d };
  }
  return best?.name;
}
