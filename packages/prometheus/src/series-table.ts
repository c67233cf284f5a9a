import { type MetricLabels, ValidationError } from '@granary/core';

/** The series of one metric, found by label values; `S` holds the series' own label copy and its numbers. */
export interface SeriesTable<S> {
  /** The series of `labels` (created on first use). */
  get(labels: MetricLabels | undefined): S;
  /** Every series, in creation order. */
  values(): IterableIterator<S>;
  /** Forgets every series. */
  clear(): void;
}

/**
 * Creates a {@link SeriesTable}: the hot path of a counter or histogram. A frozen label object is remembered
 * by identity (a WeakMap hit, no string built): the engine passes the same frozen objects for its per-value
 * series. Other label objects could change after the call, so they are looked up by value every time (their
 * values in declared label order, joined). Label names are checked when a series is created and when a
 * frozen object is first remembered; a name not declared throws a ValidationError, as prom-client does.
 */
export function createSeriesTable<S>(
  metric: string,
  labelNames: readonly string[],
  create: (labels: Record<string, string>) => S,
): SeriesTable<S> {
  const declared = new Set(labelNames);
  const series = new Map<string, S>();
  let byObject = new WeakMap<MetricLabels, S>();

  const check = (labels: MetricLabels) => {
    for (const name in labels) {
      if (!declared.has(name)) {
        throw new ValidationError(
          `${metric}: label ${JSON.stringify(name)} is not among the declared labels [${labelNames.join(', ')}]`,
          `labels.${name}`,
        );
      }
    }
  };

  const byValue = (labels: MetricLabels | undefined): S => {
    let key = '';
    if (labels) for (const n of labelNames) key += `${labels[n] ?? ''}\u0001`;
    let s = series.get(key);
    if (s === undefined) {
      const own: Record<string, string> = {};
      if (labels) {
        check(labels);
        for (const n of labelNames) if (labels[n] !== undefined) own[n] = labels[n] as string;
      }
      s = create(own);
      series.set(key, s);
    }
    return s;
  };

  return {
    get(labels) {
      if (labels === undefined) return byValue(undefined);
      const known = byObject.get(labels);
      if (known !== undefined) return known;
      const s = byValue(labels);
      if (Object.isFrozen(labels)) {
        check(labels);
        byObject.set(labels, s);
      }
      return s;
    },
    values: () => series.values(),
    clear() {
      series.clear();
      byObject = new WeakMap();
    },
  };
}
