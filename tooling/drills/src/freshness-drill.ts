/**
 * Freshness drill: `node tooling/drills/src/freshness-drill.ts` (see tooling/drills/README.md).
 *
 * Runs the real pipeline (Kafka -> apps/consumer -> Redis -> apps/server) under open-loop read load with a
 * real Prometheus scraping the server, stalls the consumer (SIGSTOP), prints a timeline of the server's
 * `/v1/freshness` verdict, the heartbeat age, the GranaryHeartbeatStale alert and the load's p50 latency, then
 * resumes it (SIGCONT) and shows recovery. Bounded (about 2-3 minutes); stops everything it started by PID.
 *
 * Needs the apps built first: `pnpm --filter @granary/server... --filter @granary/consumer... build`.
 * Exit codes: 0 expectations held, 1 they did not, 2 setup error.
 */
import { rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_DRILL_OPTIONS } from './drill-options.ts';
import { stdoutLog } from './log.ts';
import { createProcessSupervisor } from './process-supervisor.ts';
import { runFreshnessDrill } from './run-freshness-drill.ts';
import { SetupError } from './setup-error.ts';

/**
 * Runs the drill under a hard time limit, stops everything it started on every path (also on SIGINT/SIGTERM
 * and the hard limit, which exit 1 at once), removes the temp folder on success (kept and named otherwise) and
 * returns the exit code.
 */
async function main(): Promise<number> {
  const started = Date.now();
  const here = dirname(fileURLToPath(import.meta.url));
  const options = DEFAULT_DRILL_OPTIONS;
  const log = stdoutLog;
  const supervisor = createProcessSupervisor({ log });
  const stopAndExit = () => {
    void supervisor.shutdown().then(() => process.exit(1));
  };
  const hardLimit = setTimeout(() => {
    log(`\nHard limit of ${options.hardLimitMs / 1000}s reached: stopping.`);
    stopAndExit();
  }, options.hardLimitMs);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`\n${signal}: stopping.`);
      stopAndExit();
    });
  }

  let tempDir: string | undefined;
  let code: number;
  try {
    code = await runFreshnessDrill({
      root: resolve(here, '../../..'),
      resultsDir: resolve(here, '../results'),
      started,
      options,
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

process.exit(await main());
