import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEADLINE_HEADER_PATTERN } from '../../src/schemas/wire-patterns.js';

const HOOKS_DIR = fileURLToPath(new URL('.', import.meta.url));

/** One fuzz run against a running server. */
export interface FuzzRunOptions {
  /** The venv's Python (see ensureSchemathesis). */
  readonly python: string;
  /** The server's base URL; the document is read from `<url>/openapi.json`. */
  readonly url: string;
  readonly seed: number;
  readonly maxTimeSeconds: number;
  /** Sent with every request (Schemathesis' ignored-auth check also sends requests without it). */
  readonly authorization?: string;
}

/** What Schemathesis' JSON report says about a run. */
export interface FuzzReport {
  readonly exit_code: number;
  readonly seed: number;
  readonly running_time: number;
  readonly operations: { readonly total: number; readonly tested: number; readonly errored: number };
  readonly test_cases: {
    readonly generated: number;
    readonly with_failures: number;
    readonly errored: number;
  };
  readonly failures: readonly unknown[];
  readonly errors: readonly unknown[];
  readonly warnings: Readonly<Record<string, readonly unknown[]>>;
}

/** A finished run: the report, and Schemathesis' own text output (it lists each failure with a curl line). */
export interface FuzzResult {
  readonly report: FuzzReport;
  readonly output: string;
}

/**
 * Runs `schemathesis run <url>/openapi.json --checks all` with a fixed seed and time budget, with the hooks of
 * granary_hooks.py, and returns its JSON report. Rejects when Schemathesis cannot run at all (exit code other
 * than 0 or 1, no report).
 */
export async function runSchemathesis(options: FuzzRunOptions): Promise<FuzzResult> {
  const reportDir = await mkdtemp(join(tmpdir(), 'granary-fuzz-'));
  try {
    const args = [
      '-m',
      'schemathesis.cli',
      'run',
      `${options.url}/openapi.json`,
      '--checks',
      'all',
      '--seed',
      String(options.seed),
      '--max-time',
      String(options.maxTimeSeconds),
      '--no-color',
      '--generation-database',
      'none',
      '--report',
      'json',
      '--report-dir',
      reportDir,
      ...(options.authorization ? ['--header', `Authorization: ${options.authorization}`] : []),
    ];
    const output = await new Promise<{ code: number | null; text: string }>((resolve, reject) => {
      const child = spawn(options.python, args, {
        // Schemathesis keeps a .schemathesis/ cache in its working directory: keep it out of the checkout.
        cwd: reportDir,
        // No __pycache__ beside the hooks module in the checkout.
        env: {
          ...process.env,
          SCHEMATHESIS_HOOKS: 'granary_hooks',
          // The hooks tell a valid deadline header by the server's own grammar (one source).
          GRANARY_DEADLINE_HEADER_PATTERN: DEADLINE_HEADER_PATTERN,
          PYTHONPATH: HOOKS_DIR,
          PYTHONDONTWRITEBYTECODE: '1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      child.stdout.on('data', (d: Buffer) => {
        text += String(d);
      });
      child.stderr.on('data', (d: Buffer) => {
        text += String(d);
      });
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, text }));
    });
    const file = (await readdir(reportDir)).find((f) => f.endsWith('.json'));
    if ((output.code !== 0 && output.code !== 1) || file === undefined) {
      throw new Error(`schemathesis exited with ${output.code} and no report:\n${output.text.slice(-4000)}`);
    }
    const report = JSON.parse(await readFile(join(reportDir, file), 'utf8')) as FuzzReport;
    return { report, output: output.text };
  } finally {
    await rm(reportDir, { recursive: true, force: true });
  }
}
