import {
  type ConfigDefinition,
  checkServedLog,
  checkStoreSection,
  engineSection,
  field,
  logSection,
  problemAt,
  SERVED_LOG_RENAMES,
  servedLogSection,
  storeRenames,
  storeSection,
} from '@granary/config';
import { FRESHNESS_SAMPLER_DEFAULTS } from '@granary/core';
import { type StaticDecode, Type } from 'typebox';
import { HTTP_TIMEOUT_DEFAULTS, type HttpTimeouts } from '../http/http-timeouts.js';

const { bool, duration, falseOr, int, list, ms, num, oneOf, optionalSection, path, port, section, str } =
  field;
const opt = Type.Optional;

/** An API key scope: `read` (features, freshness, hot keys), `write` (push), `admin` (everything). */
export const SCOPES = ['read', 'write', 'admin'] as const;
/** An API key scope. */
export type Scope = (typeof SCOPES)[number];

const overloadSection = Type.Decode(
  section(
    {
      maxEventLoopDelay: duration({
        positive: true,
        description: 'Shed while the mean event-loop delay is above this.',
        default: '1s',
      }),
      sampleInterval: duration({
        positive: true,
        description: 'How often the event-loop delay is sampled.',
        default: '1s',
      }),
      retryAfter: duration({
        positive: true,
        description: 'Retry-After of a shed request (whole seconds).',
        default: '1s',
      }),
    },
    { description: 'Load shedding.' },
  ),
  (o) => ({
    maxEventLoopDelayMs: o.maxEventLoopDelay,
    sampleIntervalMs: o.sampleInterval,
    retryAfterMs: o.retryAfter,
  }),
);

const S = FRESHNESS_SAMPLER_DEFAULTS;
const samplerSection = Type.Decode(
  section(
    {
      interval: duration({
        positive: true,
        description: 'Time between rounds (the first after one interval).',
        default: ms(S.intervalMs),
      }),
      keysPerView: int({
        min: 1,
        max: 100_000,
        description: 'Entities read per view per round.',
        default: S.keysPerView,
      }),
      scanLimitFactor: int({
        min: 1,
        max: 100,
        description: 'Keys listed per view per round, as a multiple of keysPerView.',
        default: S.scanLimitFactor,
      }),
      timeout: duration({
        positive: true,
        description: "Bound of one view's round.",
        default: ms(S.timeoutMs),
      }),
    },
    { description: 'Freshness sampler: age of last update per feature over stored entities.' },
  ),
  (o) => ({
    intervalMs: o.interval,
    keysPerView: o.keysPerView,
    scanLimit: o.keysPerView * o.scanLimitFactor,
    timeoutMs: o.timeout,
  }),
);

const producerHeartbeatsSection = Type.Decode(
  section(
    {
      interval: duration({
        positive: true,
        description: 'How often producer heartbeats are read from the store.',
        default: '10s',
      }),
      maxProducers: int({
        min: 1,
        max: 100_000,
        description: '(view, producer) pairs listed at most (metric label sets).',
        default: 1000,
      }),
    },
    { description: 'Producer heartbeats (POST /v1/heartbeats) read back from the store.' },
  ),
  (o) => ({ intervalMs: o.interval, maxProducers: o.maxProducers }),
);

const T = HTTP_TIMEOUT_DEFAULTS;
const timeoutsSection = Type.Decode(
  section(
    {
      headers: duration({
        positive: true,
        description: 'Request line and headers must arrive within this (408).',
        default: ms(T.headersTimeoutMs),
      }),
      request: duration({
        positive: true,
        description: 'The whole request must arrive within this (408).',
        default: ms(T.requestTimeoutMs),
      }),
      keepAlive: duration({
        positive: true,
        description: 'Idle keep-alive connections are closed after this.',
        default: ms(T.keepAliveTimeoutMs),
      }),
      checkInterval: duration({
        positive: true,
        description: 'How often the two request timeouts are checked.',
        default: ms(T.checkIntervalMs),
      }),
    },
    { description: 'Connection and request time limits (slow or idle clients).' },
  ),
  (t): HttpTimeouts => ({
    headersTimeoutMs: t.headers,
    requestTimeoutMs: t.request,
    keepAliveTimeoutMs: t.keepAlive,
    checkIntervalMs: t.checkInterval,
  }),
);

const demoSection = Type.Decode(
  section(
    {
      enabled: bool({ description: 'In-process demo feed (made for the demo registry).', default: false }),
      entities: int({ min: 1, max: 10_000_000, description: 'Distinct demo users.', default: 10_000 }),
      zipfExponent: num({
        min: 0,
        max: 10,
        exclusive: true,
        description: 'Skew of the written users.',
        default: 1.1,
      }),
      writesPerSecond: int({ max: 100_000, description: 'Write rate.', default: 200 }),
      lag: duration({ description: 'Simulated pipeline lag at start.', default: '0s' }),
      tick: duration({ positive: true, description: 'Timer of the feed.', default: '100ms' }),
    },
    { description: 'The demo feed.' },
  ),
  ({ lag, tick, ...rest }) => ({ ...rest, lagMs: lag, tickMs: tick }),
);

/**
 * The server's configuration: the shared sections of @granary/config (`registry`, `store`, `engine`,
 * `servedLog`, `log`) and the server's own (`server`, `auth`, `demo`, `status`).
 */
export const SERVER_CONFIG_SCHEMA = Type.Object(
  {
    registry: section(
      {
        path: opt(path({ description: 'Registry file (YAML or JSON), relative to the config file.' })),
        inline: opt(Type.Unknown({ description: 'The registry document inline: { entities, views }.' })),
        demo: bool({ description: 'The built-in demo registry.', default: false }),
      },
      { description: 'Where the registry comes from: exactly one of path, inline or demo: true.' },
    ),
    store: storeSection('memory'),
    engine: engineSection,
    servedLog: servedLogSection,
    server: section(
      {
        host: str({ description: 'Interface to listen on.', default: '127.0.0.1' }),
        port: port({ description: 'Port to listen on; 0 picks a free one.', default: 8080 }),
        bodyLimitBytes: int({
          min: 1024,
          max: 256 * 1024 * 1024,
          description: 'Largest request body (413 beyond).',
          default: 1024 * 1024,
        }),
        maxFeaturesPerRequest: int({
          min: 1,
          description: 'Largest number of features in one request.',
          default: 500,
        }),
        maxPushRows: int({ min: 1, description: 'Largest number of rows in one push.', default: 1000 }),
        shutdownTimeout: duration({
          positive: true,
          description: 'Drain bound on SIGTERM/SIGINT.',
          default: '10s',
        }),
        timeouts: timeoutsSection,
        overload: falseOr(overloadSection, {
          description: 'Load shedding (@fastify/under-pressure), or false.',
        }),
        docs: bool({ description: 'Serve /openapi.json.', default: true }),
        readiness: section(
          {
            requireStore: bool({
              description: '/readyz also needs a healthy store with a closed circuit (off: ready when down).',
              default: false,
            }),
          },
          { description: 'What /readyz needs besides a loaded registry, a running engine, no drain.' },
        ),
      },
      { description: 'HTTP.' },
    ),
    auth: section(
      {
        mode: oneOf(['api-keys', 'none'], {
          description: 'api-keys, or none (local use only; logs a warning).',
          default: 'api-keys',
        }),
        keys: list(
          optionalSection(
            {
              name: str({ description: 'Name shown in logs (never the key).' }),
              scopes: list(oneOf(SCOPES, { description: 'read, write or admin' }), {
                nonEmpty: true,
                description: 'Scopes.',
              }),
              secretEnv: opt(str({ description: 'Environment variable holding the key.' })),
              secretFile: opt(path({ description: 'File holding the key.' })),
            },
            { description: 'An API key.' },
          ),
          { description: 'API keys: { name, scopes, secretEnv | secretFile }.', default: [] },
        ),
        keysFile: opt(path({ description: 'A YAML/JSON list of { name, scopes, key } (a mounted secret).' })),
      },
      { description: 'Authentication.' },
    ),
    demo: demoSection,
    producerHeartbeats: falseOr(producerHeartbeatsSection, {
      description: 'Reads producer heartbeats back from the store for the report and metrics, or false.',
    }),
    freshnessSampler: falseOr(samplerSection, {
      description: 'Reads a hash-sampled set of stored entities per view directly from the store, or false.',
    }),
    status: section(
      {
        auditReportPath: opt(
          path({
            description: 'An auditor JSON report shown on the status page.',
            defaultText: 'none ("no audit yet")',
          }),
        ),
      },
      { description: 'The status page.' },
    ),
    log: logSection,
  },
  { additionalProperties: false },
);

/** The server's configuration, loaded (durations in ms, paths absolute). */
export type ServerConfig = StaticDecode<typeof SERVER_CONFIG_SCHEMA>;
/** The `auth` section. */
export type AuthConfig = ServerConfig['auth'];
/** One API key declaration: the secret comes from an environment variable or a file, never the config. */
export type ApiKeyConfig = AuthConfig['keys'][number];
/** Load shedding (`server.overload`), in ms. */
export type OverloadConfig = Exclude<ServerConfig['server']['overload'], false>;
/** The demo feed (`demo`), in ms. */
export type DemoConfig = ServerConfig['demo'];

/** The server's schema, renamed keys and cross-field rules. */
export const SERVER_CONFIG: ConfigDefinition<typeof SERVER_CONFIG_SCHEMA> = {
  schema: SERVER_CONFIG_SCHEMA,
  renames: [
    { from: 'server.logLevel', to: 'log.level', accept: true },
    ...storeRenames(),
    ...SERVED_LOG_RENAMES,
  ],
  rules: [
    ({ registry }) =>
      [registry.path !== undefined, registry.inline !== undefined, registry.demo].filter(Boolean).length === 1
        ? undefined
        : problemAt(
            ['registry'],
            'give exactly one of path (a registry file), inline (entities and views) or demo: true',
          ),
    ({ store }) => checkStoreSection(store),
    ({ engine, store }) =>
      engine.hedgeDelayMs !== undefined && store.secondary === false
        ? problemAt(['engine', 'hedgeDelay'], 'needs store.secondary (reads are hedged to it)')
        : undefined,
    ({ engine }) =>
      engine.deadlineMs > engine.maxDeadlineMs
        ? problemAt(['engine', 'deadline'], 'must not exceed engine.maxDeadline')
        : undefined,
    ({ servedLog }) => checkServedLog(servedLog),
    ({ server }) =>
      server.timeouts.headersTimeoutMs > server.timeouts.requestTimeoutMs
        ? problemAt(['server', 'timeouts', 'headers'], 'must not exceed server.timeouts.request')
        : undefined,
    ({ auth }) => {
      const i = auth.keys.findIndex((k) => (k.secretEnv === undefined) === (k.secretFile === undefined));
      return i < 0
        ? undefined
        : problemAt(
            ['auth', 'keys', i],
            'give exactly one of secretEnv (a variable name) or secretFile (a path)',
          );
    },
    ({ auth }) =>
      auth.mode === 'api-keys' && auth.keys.length === 0 && auth.keysFile === undefined
        ? problemAt(
            ['auth'],
            'mode api-keys needs keys (with secretEnv or secretFile) or keysFile; for local use without auth set mode: none',
          )
        : undefined,
  ],
};
