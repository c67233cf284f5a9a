/**
 * Scale-out drill: `node tooling/drills/src/scale-out-drill.ts` (see tooling/drills/README.md).
 *
 * Two servers and two consumers (one group) over a Redis Cluster with replicas, under open-loop load: SIGKILL one
 * consumer, SIGKILL one Redis master, SIGTERM one server; prints one table of what happened with the times
 * measured. Needs the apps built, Kafka (tooling/services) and redis-server. Exit 0 expectations held, 1 they did
 * not, 2 setup error. Stops everything it started by PID.
 */
import { runDrillMain } from './drill-main.ts';
import { runScaleOutDrill } from './scale-out/run-scale-out-drill.ts';
import { DEFAULT_SCALE_OUT_OPTIONS } from './scale-out/scale-out-options.ts';

const options = DEFAULT_SCALE_OUT_OPTIONS;
process.exit(await runDrillMain(options.hardLimitMs, (ctx) => runScaleOutDrill({ ...ctx, options })));
