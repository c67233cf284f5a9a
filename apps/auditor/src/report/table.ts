/** Renders rows as an aligned text table (`text`) or a GitHub Markdown table (`markdown`). */
export function renderTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  style: 'text' | 'markdown',
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = header.map(
    (_, i) => rows.length > 0 && rows.every((r) => /^-?[\d.]+%?$|^-$/.test(r[i] ?? '')),
  );
  const cell = (text: string, i: number) =>
    numeric[i] ? text.padStart(widths[i] ?? 0) : text.padEnd(widths[i] ?? 0);
  if (style === 'markdown') {
    const line = (cells: readonly string[]) => `| ${cells.map((c, i) => cell(c, i)).join(' | ')} |`;
    const rule = `| ${widths.map((w, i) => (numeric[i] ? `${'-'.repeat(Math.max(1, w - 1))}:` : '-'.repeat(w))).join(' | ')} |`;
    return [line(header), rule, ...rows.map(line)].join('\n');
  }
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => cell(c, i))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** A ratio as a percentage with two decimals (`1.25%`). */
export function percent(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}

/** Milliseconds as seconds with up to three decimals, or `-`. */
export function seconds(ms: number | null): string {
  return ms === null ? '-' : String(Number((ms / 1000).toFixed(3)));
}
