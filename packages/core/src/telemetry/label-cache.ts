/**
 * Label objects made once per view and frozen, so the per-read metric calls allocate nothing and a recorder
 * may cache its series by the label object's identity (see `MetricLabels`).
 */
export function perView<T extends Readonly<Record<string, string>>>(
  make: (view: string) => T,
): (view: string) => T {
  const made = new Map<string, T>();
  return (view) => {
    let labels = made.get(view);
    if (!labels) {
      labels = Object.freeze(make(view));
      made.set(view, labels);
    }
    return labels;
  };
}
