import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError, parseDuration } from '@granary/core';
import { parse as parseYaml } from 'yaml';
import { envName, SETTINGS, type Setting } from './config-schema.js';

/** The consumer's configuration after defaults and validation; durations in ms, paths absolute. */
export interface ConsumerConfig {
  registry: string;
  kafka: {
    brokers: string[];
    clientId: string;
    groupId: string;
    topics: string[] | undefined;
    deadLetterTopic: string;
    ssl: boolean;
    sasl:
      | { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string }
      | undefined;
    connectionTimeoutMs: number;
  };
  store: { kind: 'redis' | 'memory'; redis: { url: string; keyPrefix: string; timeoutMs: number } };
  consumer: {
    writeBatchSize: number;
    writeTimeoutMs: number;
    maxFutureSkewMs: number;
    retryInitialMs: number;
    retryMaxMs: number;
    partitionsConsumedConcurrently: number;
    commitIntervalMs: number | undefined;
    sessionTimeoutMs: number;
    heartbeatIntervalMs: number;
    fromBeginning: boolean;
    lagIntervalMs: number;
  };
  heartbeat: { enabled: boolean; intervalMs: number | undefined };
  http: { host: string; port: number };
  log: { level: string };
  shutdownTimeoutMs: number;
}

type Env = Readonly<Record<string, string | undefined>>;
type Value = string | number | boolean | string[];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const byPath = new Map(SETTINGS.map((s) => [s.path, s]));
const normalise = (segment: string) => segment.replace(/_/g, '').toLowerCase();

/** Flattens the file's object into `path -> value`, refusing keys that are not settings (typos never pass). */
function flatten(obj: Record<string, unknown>, file: string, prefix = '', out = new Map<string, unknown>()) {
  for (const [key, value] of Object.entries(obj)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (byPath.has(path)) {
      out.set(path, value);
    } else if (isRecord(value) && SETTINGS.some((s) => s.path.startsWith(`${path}.`))) {
      flatten(value, file, path, out);
    } else {
      throw new ConfigError(`unknown setting (known: ${SETTINGS.map((s) => s.path).join(', ')})`, path, file);
    }
  }
  return out;
}

/** Reads `GRANARY_*` variables whose `__`-separated segments name a setting (case and `_` ignored). */
export function envOverrides(env: Env): Map<string, { value: string; name: string }> {
  const out = new Map<string, { value: string; name: string }>();
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('GRANARY_') || value === undefined) continue;
    const segments = name.slice('GRANARY_'.length).split('__').map(normalise);
    const setting = SETTINGS.find((s) => {
      const parts = s.path.split('.');
      return parts.length === segments.length && parts.every((p, i) => p.toLowerCase() === segments[i]);
    });
    if (setting) out.set(setting.path, { value, name });
  }
  return out;
}

function fromFile(setting: Setting, raw: unknown, where: { file: string | undefined }): Value {
  const fail = (problem: string): never => {
    throw new ConfigError(problem, setting.path, where.file);
  };
  switch (setting.type) {
    case 'list':
      if (typeof raw === 'string')
        return raw
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
      if (!Array.isArray(raw) || !raw.every((x) => typeof x === 'string'))
        return fail('must be a list of strings');
      return raw as string[];
    case 'number':
      if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 0)
        return fail(`must be a non-negative integer, got ${JSON.stringify(raw)}`);
      return raw;
    case 'boolean':
      if (typeof raw !== 'boolean') return fail(`must be true or false, got ${JSON.stringify(raw)}`);
      return raw;
    case 'duration':
      if ((typeof raw !== 'string' && typeof raw !== 'number') || parseDuration(raw) === undefined) {
        return fail(`invalid duration ${JSON.stringify(raw)} (use e.g. "250ms", "5s", "1m")`);
      }
      return raw;
    default:
      if (typeof raw !== 'string' || raw === '') return fail('must be a non-empty string');
      if (setting.oneOf && !setting.oneOf.includes(raw))
        return fail(`must be one of ${setting.oneOf.join(', ')}, got ${JSON.stringify(raw)}`);
      return raw;
  }
}

function fromEnv(setting: Setting, raw: string, name: string): Value {
  const where = { file: `environment ${name}` };
  switch (setting.type) {
    case 'number': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isInteger(n))
        throw new ConfigError(`must be an integer, got ${JSON.stringify(raw)}`, setting.path, where.file);
      return fromFile(setting, n, where);
    }
    case 'boolean':
      if (!['true', 'false', '1', '0'].includes(raw))
        throw new ConfigError('must be true, false, 1 or 0', setting.path, where.file);
      return raw === 'true' || raw === '1';
    default:
      return fromFile(setting, raw, where);
  }
}

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Config file (YAML or JSON). Default: none (environment and defaults only). */
  file?: string;
  /** Default: `process.env`. */
  env?: Env;
}

/**
 * Loads the configuration: defaults, then the file, then `GRANARY_*` variables (`__` for nesting:
 * `GRANARY_KAFKA__BROKERS=a:9092,b:9092`). Throws a ConfigError naming the file (or variable), the setting
 * and the problem: unknown settings, wrong types, missing required settings, secrets in the file.
 */
export function loadConfig(options: LoadConfigOptions = {}): ConsumerConfig {
  const env = options.env ?? process.env;
  const file = options.file === undefined ? undefined : resolve(options.file);
  const values = new Map<string, Value>();
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new ConfigError(`cannot read the config file: ${(e as Error).message}`, '', file);
    }
    let doc: unknown;
    try {
      doc = parseYaml(text);
    } catch (e) {
      throw new ConfigError(`not valid YAML/JSON: ${(e as Error).message}`, '', file);
    }
    if (doc !== null && doc !== undefined && !isRecord(doc))
      throw new ConfigError('the root must be a mapping', '', file);
    for (const [path, raw] of flatten((doc ?? {}) as Record<string, unknown>, file)) {
      const setting = byPath.get(path) as Setting;
      if (setting.type === 'secret') {
        throw new ConfigError(`secrets do not belong in a file: set ${envName(path)}`, path, file);
      }
      const value = fromFile(setting, raw, { file });
      if (path === 'store.redis.url' && typeof value === 'string' && /^\w+:\/\/[^/@]*:[^/@]*@/.test(value)) {
        throw new ConfigError(
          `a URL with a password does not belong in a file: set ${envName(path)}`,
          path,
          file,
        );
      }
      if (path === 'registry' && typeof value === 'string') values.set(path, resolve(dirname(file), value));
      else values.set(path, value);
    }
  }
  for (const [path, { value, name }] of envOverrides(env)) {
    const setting = byPath.get(path) as Setting;
    values.set(path, path === 'registry' ? resolve(value) : fromEnv(setting, value, name));
  }
  for (const s of SETTINGS) {
    if (!values.has(s.path) && s.default !== undefined) values.set(s.path, s.default as Value);
    if (s.required && !values.has(s.path)) {
      throw new ConfigError(`is required (in the config file, or ${envName(s.path)})`, s.path, file);
    }
  }
  const get = <T extends Value | undefined>(path: string) => values.get(path) as T;
  const ms = (path: string) => {
    const v = values.get(path);
    return v === undefined ? undefined : (parseDuration(v as string | number) as number);
  };
  let sasl: ConsumerConfig['kafka']['sasl'];
  const mechanism = get<string | undefined>('kafka.sasl.mechanism');
  if (mechanism !== undefined) {
    const username = get<string | undefined>('kafka.sasl.username');
    let password = get<string | undefined>('kafka.sasl.password');
    const passwordFile = get<string | undefined>('kafka.sasl.passwordFile');
    if (password === undefined && passwordFile !== undefined) {
      try {
        password = readFileSync(resolve(file ? dirname(file) : '.', passwordFile), 'utf8').trim();
      } catch (e) {
        throw new ConfigError(
          `cannot read the password file: ${(e as Error).message}`,
          'kafka.sasl.passwordFile',
          file,
        );
      }
    }
    if (username === undefined)
      throw new ConfigError('is required with kafka.sasl.mechanism', 'kafka.sasl.username', file);
    if (password === undefined) {
      throw new ConfigError(
        `is required with kafka.sasl.mechanism (set ${envName('kafka.sasl.password')} or kafka.sasl.passwordFile)`,
        'kafka.sasl.password',
        file,
      );
    }
    sasl = { mechanism: mechanism as 'plain', username, password };
  }
  const positive = (path: string) => {
    const v = get<number>(path);
    if (v < 1) throw new ConfigError('must be at least 1', path, file);
    return v;
  };
  return {
    registry: get<string>('registry'),
    kafka: {
      brokers: get<string[]>('kafka.brokers'),
      clientId: get<string>('kafka.clientId'),
      groupId: get<string>('kafka.groupId'),
      topics: get<string[] | undefined>('kafka.topics'),
      deadLetterTopic: get<string>('kafka.deadLetterTopic'),
      ssl: get<boolean>('kafka.ssl'),
      sasl,
      connectionTimeoutMs: ms('kafka.connectionTimeout') as number,
    },
    store: {
      kind: get<'redis' | 'memory'>('store.kind'),
      redis: {
        url: get<string>('store.redis.url'),
        keyPrefix: get<string>('store.redis.keyPrefix'),
        timeoutMs: ms('store.redis.timeout') as number,
      },
    },
    consumer: {
      writeBatchSize: positive('consumer.writeBatchSize'),
      writeTimeoutMs: ms('consumer.writeTimeout') as number,
      maxFutureSkewMs: ms('consumer.maxFutureSkew') as number,
      retryInitialMs: ms('consumer.retryInitial') as number,
      retryMaxMs: ms('consumer.retryMax') as number,
      partitionsConsumedConcurrently: positive('consumer.partitionsConsumedConcurrently'),
      commitIntervalMs: ms('consumer.commitInterval'),
      sessionTimeoutMs: ms('consumer.sessionTimeout') as number,
      heartbeatIntervalMs: ms('consumer.heartbeatInterval') as number,
      fromBeginning: get<boolean>('consumer.fromBeginning'),
      lagIntervalMs: ms('consumer.lagInterval') as number,
    },
    heartbeat: { enabled: get<boolean>('heartbeat.enabled'), intervalMs: ms('heartbeat.interval') },
    http: { host: get<string>('http.host'), port: get<number>('http.port') },
    log: { level: get<string>('log.level') },
    shutdownTimeoutMs: ms('shutdownTimeout') as number,
  };
}

/** The configuration as safe to log: no password, no URL credentials. */
export function redactConfig(config: ConsumerConfig): Record<string, unknown> {
  return {
    ...config,
    kafka: {
      ...config.kafka,
      sasl: config.kafka.sasl ? { ...config.kafka.sasl, password: '[redacted]' } : undefined,
    },
    store: {
      ...config.store,
      redis: { ...config.store.redis, url: config.store.redis.url.replace(/\/\/[^/@]*@/, '//[redacted]@') },
    },
  };
}
