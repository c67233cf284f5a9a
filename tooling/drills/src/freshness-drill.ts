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
import { runDrillMain } from './drill-main.ts';
import { DEFAULT_DRILL_OPTIONS } from './drill-options.ts';
import { runFreshnessDrill } from './run-freshness-drill.ts';

const options = DEFAULT_DRILL_OPTIONS;
process.exit(await runDrillMain(options.hardLimitMs, (ctx) => runFreshnessDrill({ ...ctx, options })));
