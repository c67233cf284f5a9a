import { rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Log, stdoutLog } from './log.ts';
import { createProcessSupervisor, type ProcessSupervisor } from './process-supervisor.ts';
import { SetupError } from './setup-error.ts';

/** What a drill's entry gives {@link runDrillMain}'s `run`. */
export interface DrillContext {
  /** The repository root. */
  readonly root: string;
  /** tooling/drills/results. */
  readonly resultsDir: string;
  readonly started: number;
  readonly supervisor: ProcessSupervisor;
  readonly log: Log;
  /** Register the drill's temp folder: removed on success, kept and named otherwise. */
  readonly onTempDir: (dir: string) => void;
}

/**
 * The shared entry of every drill: runs `run` under a hard time limit, stops everything it started on every path
 * (also on SIGINT/SIGTERM and the hard limit, which exit 1 at once), removes the temp folder on success (kept and
 * named otherwise) and returns the exit code (a {@link SetupError} is 2, any other error 1).
 */
export async function runDrillMain(
  hardLimitMs: number,
  run: (ctx: DrillContext) => Promise<number>,
): Promise<number> {
  const started = Date.now();
  const here = dirname(fileURLToPath(import.meta.url));
  const log = stdoutLog;
  const supervisor = createProcessSupervisor({ log });
  const stopAndExit = () => {
    void supervisor.shutdown().then(() => process.exit(1));
  };
  const hardLimit = setTimeout(() => {
    log(`\nHard limit of ${hardLimitMs / 1000}s reached: stopping.`);
    stopAndExit();
  }, hardLimitMs);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`\n${signal}: stopping.`);
      stopAndExit();
    });
  }
  let tempDir: string | undefined;
  let code: number;
  try {
    code = await run({
      root: resolve(here, '../../..'),
      resultsDir: resolve(here, '../results'),
      started,
      supervisor,
      log,
      onTempDir: (dir) => {
        tempDir = dir;
      },
    });
  } catch (error) {
    code = error instanceof SetupError ? 2 : 1;
    log(
      `\n${error instanceof SetupError ? 'Setup error' : 'Error'}: ${(error as Error).stack ?? String(error)}`,
    );
  }
  clearTimeout(hardLimit);
  await supervisor.shutdown();
  if (tempDir !== undefined) {
    if (code === 0) rmSync(tempDir, { recursive: true, force: true });
    else log(`Configs and logs kept in ${tempDir}`);
  }
  log(`Stopped everything it started. Exit ${code} after ${((Date.now() - started) / 1000).toFixed(1)}s.`);
  return code;
}
