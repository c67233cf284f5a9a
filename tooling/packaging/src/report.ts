import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { formatBytes, type InstallSize } from './install-size.ts';

/** One step of the check: how long it took and what it found wrong. */
export interface PhaseResult {
  readonly phase: string;
  readonly ms: number;
  readonly problems: readonly string[];
  /** Lines worth showing even when the phase passed (what ran, how long). */
  readonly notes: readonly string[];
}

/** A packed package's sizes. */
export interface PackageSizes extends InstallSize {
  readonly tarballBytes: number;
  /** Sum of the files in its tarball. */
  readonly unpackedBytes: number;
}

export interface Report {
  readonly startedAt: string;
  readonly node: string;
  readonly npm: string;
  readonly phases: readonly PhaseResult[];
  readonly sizes: readonly PackageSizes[];
  readonly totalMs: number;
}

/** Collects the phases of a run. */
export interface Recorder {
  readonly phases: readonly PhaseResult[];
  /** Runs a phase, timing it; a thrown error becomes its problem. Resolves with its problems. */
  phase(name: string, fn: (notes: string[]) => Promise<readonly string[]>): Promise<readonly string[]>;
  /** Whether any phase found a problem. */
  failed(): boolean;
}

export function createRecorder(
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Recorder {
  const phases: PhaseResult[] = [];
  return {
    phases,
    async phase(name, fn) {
      log(`[packaging] ${name}...`);
      const started = performance.now();
      const notes: string[] = [];
      let problems: readonly string[];
      try {
        problems = await fn(notes);
      } catch (error) {
        problems = [error instanceof Error ? (error.stack ?? error.message) : String(error)];
      }
      const ms = performance.now() - started;
      phases.push({ phase: name, ms, problems, notes });
      const verdict = problems.length === 0 ? 'ok' : `${problems.length} problem(s)`;
      log(`[packaging]   ${name}: ${verdict} (${(ms / 1000).toFixed(1)} s)`);
      for (const n of notes) log(`[packaging]     ${n}`);
      for (const p of problems) log(`[packaging]     PROBLEM ${p}`);
      return problems;
    },
    failed: () => phases.some((p) => p.problems.length > 0),
  };
}

/** The install-size table, as printed and as the README shows it. */
export function sizeTable(sizes: readonly PackageSizes[]): string {
  const rows = sizes.map((s) => [
    s.name,
    formatBytes(s.tarballBytes),
    formatBytes(s.unpackedBytes),
    formatBytes(s.bytes),
    String(s.packages),
  ]);
  const head = ['package', 'tarball', 'unpacked', 'installed (with dependencies)', 'packages'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (i === 0 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`;
  return [line(head), rule, ...rows.map(line)].join('\n');
}

/** The summary printed at the end of a run. */
export function summary(report: Report): string {
  const problems = report.phases.flatMap((p) => p.problems.map((x) => `  [${p.phase}] ${x}`));
  const phases = report.phases.map((p) => `${p.phase} ${(p.ms / 1000).toFixed(1)} s`).join(', ');
  return [
    '',
    `Packaging check (node ${report.node}, npm ${report.npm}): ${(report.totalMs / 1000).toFixed(1)} s (${phases})`,
    '',
    sizeTable(report.sizes),
    '',
    problems.length === 0
      ? 'packaging: all checks passed'
      : `packaging: ${problems.length} problem(s)\n${problems.join('\n')}`,
    '',
  ].join('\n');
}

export function writeReport(path: string, report: Report): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}
