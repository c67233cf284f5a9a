import {
  type Clock,
  type FeatureServer,
  type FeatureView,
  heartbeatRow,
  type Registry,
  type WriteRow,
} from '@granary/core';
import { createZipfSampler, seededRandom } from '@granary/core/testing';
import type { Logger } from 'pino';
import type { DemoConfig } from '../config/server-config.js';

/** Status of the demo feed, as `GET /v1/demo` returns it. */
export interface DemoStatus {
  readonly running: boolean;
  readonly entities: number;
  readonly writesPerSecond: number;
  readonly lagSeconds: number;
  readonly rowsWritten: number;
  readonly writeErrors: number;
}

/** The in-process demo pipeline. */
export interface DemoFeed {
  /** Seeds every demo user once, then writes on a timer (unref'd). */
  start(): Promise<void>;
  /** Stops the timer and waits for the write in flight. */
  stop(): Promise<void>;
  /** Simulated pipeline lag, ms: event times and heartbeats are this far in the past. */
  setLag(ms: number): void;
  status(): DemoStatus;
}

/** Options of {@link createDemoFeed}. */
export interface DemoFeedOptions {
  readonly engine: Pick<FeatureServer, 'write'>;
  readonly registry: Registry;
  readonly config: DemoConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Seed of the value and key generator. Default: 42. */
  readonly seed?: number;
}

const CATEGORIES = ['books', 'garden', 'music', 'toys', 'travel', 'tools'];
const COUNTRIES = ['DE', 'FR', 'GB', 'IN', 'JP', 'US'];

/**
 * A demo pipeline inside the server: each tick it writes rows for Zipf-distributed users of the demo views
 * through `engine.write` (the same monotonic path as `/v1/push`), and one heartbeat row per view per
 * heartbeat interval. `setLag(ms)` simulates a lagging pipeline: new rows and heartbeats carry event times
 * `ms` in the past, so served ages, the freshness report and the heartbeat lag all show it.
 */
export function createDemoFeed(options: DemoFeedOptions): DemoFeed {
  const { engine, config, clock, logger } = options;
  const random = seededRandom(options.seed ?? 42);
  const zipf = createZipfSampler(config.entities, config.zipfExponent, random);
  const views = [...options.registry.views.values()].filter((v) => v.name !== 'granary_heartbeat');
  let lagMs = config.lagMs;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  let rowsWritten = 0;
  let writeErrors = 0;
  let carry = 0;
  const lastHeartbeat = new Map<string, number>();

  const valueFor = (view: FeatureView, name: string, user: number): unknown => {
    const feature = view.featuresByName.get(name);
    switch (feature?.type) {
      case 'int64':
        return BigInt(Math.floor(random() * (name.includes('age') ? 3650 : 200)));
      case 'float64':
        return Math.round(random() * 10_000) / 100_000;
      case 'bool':
        return user % 7 === 0;
      case 'string':
        return name === 'country'
          ? COUNTRIES[user % COUNTRIES.length]
          : CATEGORIES[Math.floor(random() * CATEGORIES.length)];
      case 'float32[]':
      case 'float64[]':
        return [random(), random(), random(), random()];
      case 'string[]':
        return [CATEGORIES[user % CATEGORIES.length]];
      default:
        return null;
    }
  };
  const rowFor = (view: FeatureView, user: number, eventTime: number): WriteRow => {
    const values: Record<string, unknown> = {};
    for (const f of view.features) values[f.name] = valueFor(view, f.name, user);
    const key: Record<string, bigint | string> = {};
    for (const jk of view.entity.joinKeys) key[jk.name] = jk.type === 'int64' ? BigInt(user) : String(user);
    return { view: view.name, key, values: values as WriteRow['values'], eventTime };
  };
  const write = async (rows: WriteRow[]) => {
    if (rows.length === 0) return;
    try {
      await engine.write(rows);
      rowsWritten += rows.length;
    } catch (error) {
      writeErrors++;
      logger.warn({ err: error }, 'demo feed: write failed');
    }
  };

  const tick = async () => {
    const now = clock.now();
    const eventTime = now - lagMs;
    carry += (config.writesPerSecond * config.tickMs) / 1000;
    const n = Math.floor(carry);
    carry -= n;
    const rows: WriteRow[] = [];
    for (let i = 0; i < n; i++) {
      const view = views[i % views.length] as FeatureView;
      rows.push(rowFor(view, zipf.next(), eventTime));
    }
    for (const view of views) {
      const last = lastHeartbeat.get(view.name) ?? 0;
      if (now - last >= view.heartbeatIntervalMs) {
        lastHeartbeat.set(view.name, now);
        rows.push(heartbeatRow(view.name, 0, eventTime));
      }
    }
    await write(rows);
  };

  return {
    async start() {
      if (timer) return;
      const eventTime = clock.now() - lagMs;
      for (let first = 1; first <= config.entities; first += 1000) {
        const rows: WriteRow[] = [];
        for (let u = first; u < Math.min(first + 1000, config.entities + 1); u++) {
          for (const view of views) rows.push(rowFor(view, u, eventTime));
        }
        await write(rows);
      }
      timer = setInterval(() => {
        inFlight = inFlight.then(tick);
      }, config.tickMs);
      timer.unref();
      await tick();
      logger.info(
        { entities: config.entities, writesPerSecond: config.writesPerSecond, lagSeconds: lagMs / 1000 },
        'demo feed started',
      );
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await inFlight;
    },
    setLag(ms) {
      lagMs = ms;
    },
    status: () => ({
      running: timer !== undefined,
      entities: config.entities,
      writesPerSecond: config.writesPerSecond,
      lagSeconds: lagMs / 1000,
      rowsWritten,
      writeErrors,
    }),
  };
}
