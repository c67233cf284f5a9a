import { deleteRedisKeysByPrefix, serviceEndpoints } from '@granary/services';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasScope } from '../src/auth/api-keys.js';
import type { Scope } from '../src/config/server-config.js';
import type { GranaryServer } from '../src/granary-server.js';
import { type FuzzReport, runSchemathesis } from './fuzz/run-schemathesis.js';
import { ensureSchemathesis } from './fuzz/schemathesis-venv.js';
import { testServer } from './helpers/test-server.js';

// Schemathesis (pinned, in a venv under .services/cache/) generates requests from the server's own
// /openapi.json, valid and invalid, and checks every answer: no 5xx, only documented statuses, content types
// and bodies, valid requests accepted, invalid ones rejected, 405 with Allow for undeclared methods, and
// requests without or with a wrong key refused. Fixed seed and time budget; replay with GRANARY_SEED.
const SEED = Number(process.env.GRANARY_SEED ?? 20261202);
/** Scales every run's time budget (GRANARY_FUZZ_SCALE=4 for a long local run). */
const SCALE = Number(process.env.GRANARY_FUZZ_SCALE ?? 1);
/** Seconds per run; about 3 minutes for the whole file on 2 cores. */
const BUDGET = { memoryOpen: 40, memoryKey: 25, redisOpen: 30, redisKey: 30 } as const;

const KEYS: Record<Scope, string> = {
  read: 'fuzz-read-key-0123456789',
  write: 'fuzz-write-key-0123456789',
  admin: 'fuzz-admin-key-0123456789',
};
const AUTH = {
  auth: {
    mode: 'api-keys',
    keys: (Object.keys(KEYS) as Scope[]).map((scope) => ({
      name: `fuzz-${scope}`,
      scopes: [scope],
      secretEnv: `FUZZ_${scope.toUpperCase()}_KEY`,
    })),
  },
};
const KEY_ENV = Object.fromEntries(
  (Object.keys(KEYS) as Scope[]).map((scope) => [`FUZZ_${scope.toUpperCase()}_KEY`, KEYS[scope]]),
);

let python: string;
beforeAll(async () => {
  python = await ensureSchemathesis();
}, 900_000);

/** The documented operations a key with `scope` may not call (Schemathesis reports them as only 401/403). */
function forbiddenFor(server: GranaryServer, scope: Scope): string[] {
  return server.app.routeCatalog.routes
    .filter((r) => r.method !== 'HEAD' && r.access !== 'public' && !hasScope(new Set([scope]), r.access))
    .map((r) => `${r.method} ${r.url}`)
    .sort();
}

interface Listening {
  readonly server: GranaryServer;
  readonly url: string;
}

async function listening(
  overrides: Record<string, unknown>,
  env?: Record<string, string>,
): Promise<Listening> {
  const { server } = await testServer(overrides, env ? { env } : {});
  return { server, url: await server.listen() };
}

async function fuzz({ server, url }: Listening, seconds: number, scope?: Scope): Promise<FuzzReport> {
  const { report, output } = await runSchemathesis({
    python,
    url,
    seed: SEED,
    maxTimeSeconds: Math.max(5, Math.round(seconds * SCALE)),
    ...(scope ? { authorization: `Bearer ${KEYS[scope]}` } : {}),
  });
  console.info(
    `[fuzz] ${scope ? `${scope} key` : 'auth none'}: ${report.test_cases.generated} requests generated, ` +
      `${report.failures.length} failures, ${report.errors.length} errors in ${report.running_time.toFixed(0)} s (seed ${SEED}, replay with GRANARY_SEED=${SEED})`,
  );
  const failed = report.exit_code !== 0 || report.failures.length > 0 || report.errors.length > 0;
  expect(failed ? output : 'no failures').toBe('no failures');
  expect(report.test_cases.generated).toBeGreaterThan(0);
  expect(report.operations.tested).toBe(report.operations.total);
  expect(report.warnings.unsupported_regex).toEqual([]);
  expect(report.warnings.unresolvable_reference).toEqual([]);
  expect([...(report.warnings.missing_auth ?? [])].sort()).toEqual(scope ? forbiddenFor(server, scope) : []);
  return report;
}

function fuzzStore(
  name: string,
  store: () => Record<string, unknown>,
  budget: { open: number; key: number },
  scopes: readonly Scope[],
) {
  describe(`OpenAPI fuzzing on the ${name} store`, () => {
    let open: Listening;
    let keyed: Listening;
    beforeAll(async () => {
      const common = { store: store(), log: { level: 'warn' } };
      open = await listening(common);
      keyed = await listening({ ...common, ...AUTH }, KEY_ENV);
    });
    afterAll(async () => {
      await open?.server.close();
      await keyed?.server.close();
    });

    it('auth none: every check passes', { timeout: (budget.open * SCALE + 120) * 1000 }, async () => {
      await fuzz(open, budget.open);
    });
    for (const scope of scopes) {
      it(`auth on, ${scope} key: every check passes`, {
        timeout: (budget.key * SCALE + 120) * 1000,
      }, async () => {
        await fuzz(keyed, budget.key, scope);
      });
    }
  });
}

fuzzStore('memory', () => ({ type: 'memory' }), { open: BUDGET.memoryOpen, key: BUDGET.memoryKey }, [
  'read',
  'write',
  'admin',
]);

const PREFIX = `granary-fuzz:${process.pid.toString(36)}${Date.now().toString(36)}:`;
afterAll(async () => {
  const redis = new Redis(serviceEndpoints().redis.url);
  try {
    await deleteRedisKeysByPrefix(redis, PREFIX);
  } finally {
    redis.disconnect();
  }
});
fuzzStore(
  'Redis',
  () => ({ type: 'redis', redis: { url: serviceEndpoints().redis.url, keyPrefix: PREFIX } }),
  { open: BUDGET.redisOpen, key: BUDGET.redisKey },
  ['admin'],
);
