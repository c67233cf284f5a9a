/**
 * The attacks of the hostile-client suite (hostile-clients.ts), each with what Granary promises and the checks
 * that hold it to the promise (statuses, the negative cache's bound, the hot-key report). The verdicts on
 * latency and memory are the suite's, the same for every attack.
 */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { attack, type VegetaTarget, writeTargets } from '../lib/vegeta.ts';
import { featuresBody, KEYS } from './hostile-fixture.ts';
import { runSlowClients } from './slow-clients.ts';

/** One pass/fail fact an attack checks. */
export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** What an attack gets to run with. */
export interface AttackContext {
  readonly url: URL;
  readonly vegeta: string;
  readonly dir: string;
  /** How long to keep attacking, ms (the probe's window runs inside it). */
  readonly durationMs: number;
  /** The server engine's `stats()`, asked over IPC. */
  stats(): Promise<{ negativeCacheEntries: number }>;
}

export interface HostileAttack {
  readonly name: string;
  readonly attack: string;
  readonly promise: string;
  run(ctx: AttackContext): Promise<Check[]>;
}

/** The server's HTTP limits the checks expect (apps/server's defaults: http-timeouts.ts, the config's bodyLimitBytes). */
const REQUEST_TIMEOUT_MS = 10_000;
const TIMEOUT_CHECK_MS = 1_000;
const BODY_LIMIT = 1024 * 1024;
const MAX_ENTITIES = 1000;
const NEGATIVE_CACHE_MAX = 10_000;

const post = (url: URL, path: string, body: string): VegetaTarget => ({
  method: 'POST',
  url: new URL(path, url).href,
  body,
  headers: { 'content-type': 'application/json' },
});

/** Runs Vegeta at `rate` over `targets` for the context's duration; returns the answers by status. */
async function flood(ctx: AttackContext, name: string, targets: VegetaTarget[], rate: number) {
  const dir = mkdtempSync(join(ctx.dir, `${name}-`));
  const targetsFile = writeTargets(dir, name, targets);
  return attack({ binary: ctx.vegeta, targetsFile, ratePerSec: rate, durationMs: ctx.durationMs, dir });
}

function onlyStatus(statuses: Readonly<Record<string, number>>, status: string): Check {
  const total = Object.values(statuses).reduce((a, b) => a + b, 0);
  return {
    name: `every answer is ${status}`,
    ok: total > 0 && statuses[status] === total,
    detail: JSON.stringify(statuses),
  };
}

const SLOW_CLIENTS = 300;

export const slowBodies: HostileAttack = {
  name: 'slow bodies',
  attack: `${SLOW_CLIENTS} connections: full headers, then the body at 1 byte/s`,
  promise: `each is cut off with 408 within requestTimeout (${REQUEST_TIMEOUT_MS / 1000} s) + ${TIMEOUT_CHECK_MS / 1000} s`,
  async run(ctx) {
    const outcomes = await runSlowClients({
      host: ctx.url.hostname,
      port: Number(ctx.url.port),
      clients: SLOW_CLIENTS,
      rampMs: 1000,
      byteEveryMs: 1000,
      giveUpAfterMs: Math.max(ctx.durationMs, REQUEST_TIMEOUT_MS + 5000),
    });
    const cut = outcomes.filter((o) => o.statusLine === 'HTTP/1.1 408 Request Timeout');
    const latest = Math.max(...outcomes.map((o) => o.closedAfterMs ?? Number.POSITIVE_INFINITY));
    const bound = REQUEST_TIMEOUT_MS + TIMEOUT_CHECK_MS + 1000;
    return [
      {
        name: 'every slow client got 408',
        ok: cut.length === SLOW_CLIENTS,
        detail: `${cut.length}/${SLOW_CLIENTS}`,
      },
      {
        name: 'and was disconnected in time',
        ok: latest <= bound,
        detail: `latest after ${(latest / 1000).toFixed(1)} s (bound ${bound / 1000} s)`,
      },
    ];
  },
};

export const oversizedBodies: HostileAttack = {
  name: 'oversized bodies',
  attack: `POST /v1/push of ${(1.5 * BODY_LIMIT) / 2 ** 20} MiB at 20/s (limit ${BODY_LIMIT / 2 ** 20} MiB)`,
  promise: '413 PAYLOAD_TOO_LARGE from the Content-Length, the body never buffered',
  async run(ctx) {
    const body = `{"rows":[${'0,'.repeat((1.5 * BODY_LIMIT) / 2)}0]}`;
    const r = await flood(ctx, 'oversized', [post(ctx.url, '/v1/push', body)], 20);
    // The server answers before the body has arrived and then closes the connection; a client still sending
    // sees its write cut (no status). Both are the refusal; anything else is not.
    const { 413: refused = 0, 0: cut = 0, ...other } = r.statuses;
    const cutOnly = r.transportErrors.every((e) => /reset by peer|broken pipe|EOF/i.test(e));
    return [
      {
        name: 'every request refused: 413, or the connection closed while the body was still being sent',
        ok: refused > 0 && Object.keys(other).length === 0 && cutOnly,
        detail: `413: ${refused}, cut: ${cut}${r.transportErrors.length ? ` (${r.transportErrors.join('; ')})` : ''}${Object.keys(other).length ? `, other: ${JSON.stringify(other)}` : ''}`,
      },
    ];
  },
};

export const oversizedBatches: HostileAttack = {
  name: 'oversized batches',
  attack: `POST /v1/features with ${MAX_ENTITIES + 1} entities at 100/s (limit ${MAX_ENTITIES})`,
  promise: '400 naming `entities`, before any store read',
  async run(ctx) {
    const ids = Array.from({ length: MAX_ENTITIES + 1 }, (_, i) => i + 1);
    const r = await flood(ctx, 'batches', [post(ctx.url, '/v1/features', featuresBody(ids))], 100);
    return [onlyStatus(r.statuses, '400')];
  },
};

const UNKNOWN_RATE = 500;
const UNKNOWN_PER_REQUEST = 20;

export const unknownKeys: HostileAttack = {
  name: 'unknown keys',
  attack: `${(UNKNOWN_RATE * UNKNOWN_PER_REQUEST).toLocaleString('en')} distinct unknown keys/s (${UNKNOWN_RATE} requests/s x ${UNKNOWN_PER_REQUEST})`,
  promise: `served NOT_FOUND (200); the negative cache stays within maxEntries (${NEGATIVE_CACHE_MAX.toLocaleString('en')})`,
  async run(ctx) {
    const requests = Math.ceil((UNKNOWN_RATE * ctx.durationMs) / 1000);
    let next = 1_000_000_000;
    const targets = Array.from({ length: requests }, () =>
      post(ctx.url, '/v1/features', featuresBody(Array.from({ length: UNKNOWN_PER_REQUEST }, () => next++))),
    );
    const r = await flood(ctx, 'unknown', targets, UNKNOWN_RATE);
    const { negativeCacheEntries } = await ctx.stats();
    return [
      onlyStatus(r.statuses, '200'),
      {
        name: 'negative cache within its bound',
        ok: negativeCacheEntries <= NEGATIVE_CACHE_MAX,
        detail: `${negativeCacheEntries} entries after ${(next - 1_000_000_000).toLocaleString('en')} distinct keys`,
      },
    ];
  },
};

interface HotKeyAnswer {
  readonly key: { readonly user_id: unknown };
  readonly share: number;
  readonly hot: boolean;
  readonly cached: boolean;
}

const HOT_RATE = 500;
const HOT_USER = 42;

export const hotKey: HostileAttack = {
  name: 'hot-key flood',
  attack: `${HOT_RATE} requests/s, half of them for user ${HOT_USER}`,
  promise: 'every request served; the hot key is found and held in the near cache',
  async run(ctx) {
    const targets = Array.from({ length: 2000 }, (_, i) =>
      post(ctx.url, '/v1/features', featuresBody([i % 2 === 0 ? HOT_USER : 1 + ((i * 7919) % KEYS)])),
    );
    const flooding = flood(ctx, 'hot', targets, HOT_RATE);
    // Asked while the flood runs: the near cache holds a key only while it is requested (ttl 1 s).
    await new Promise((resolve) => setTimeout(resolve, ctx.durationMs * 0.6));
    const res = await fetch(new URL('/v1/hot-keys?n=1', ctx.url));
    const top = ((await res.json()) as { hotKeys: HotKeyAnswer[] }).hotKeys[0];
    const r = await flooding;
    return [
      onlyStatus(r.statuses, '200'),
      top instanceof Error || top === undefined
        ? { name: 'hot key detected and cached', ok: false, detail: top?.message ?? 'no hot key reported' }
        : {
            name: 'hot key detected and cached',
            ok: String(top.key.user_id) === String(HOT_USER) && top.hot && top.cached,
            detail: `top user ${top.key.user_id}, share ${top.share.toFixed(2)}, hot ${top.hot}, cached ${top.cached}`,
          },
    ];
  },
};

export const ATTACKS: readonly HostileAttack[] = [
  slowBodies,
  oversizedBodies,
  oversizedBatches,
  unknownKeys,
  hotKey,
];
