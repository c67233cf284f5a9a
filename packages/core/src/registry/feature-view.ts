import { ValidationError } from '../errors.js';
import { type DurationInput, formatDuration, parseDuration } from '../time/duration.js';
import { type Entity, NAME_PATTERN } from './entity.js';
import { coerceValue, type FeatureValue, isValueType, type ValueType } from './value-types.js';

/** One step of a fallback chain, tried in order when a feature cannot be served fresh from the store. */
export type FallbackStep = 'last_known_good' | 'population' | 'default' | 'null';

/** The fallback steps, in their usual order. */
export const FALLBACK_STEPS: readonly FallbackStep[] = ['last_known_good', 'population', 'default', 'null'];

/** The population statistic a `population` fallback serves. */
export type PopulationStat = 'mean' | 'median' | 'mode';

/** What to do with a value older than the view's `maxAge`. */
export type StalePolicy = 'serve' | 'fallback';

/** A feature as declared by users. */
export interface FeatureInput {
  /** Feature name, unique in its view. */
  name: string;
  /** Value type. */
  type: ValueType;
  /** Whether the value may be null. Default: true. */
  nullable?: boolean;
  /** Static default served by the `default` fallback step; must match `type`. Default: none. */
  default?: unknown;
  /** This feature's fallback chain; overrides the view's. Default: the view's chain. */
  fallback?: readonly FallbackStep[];
  /** The statistic a `population` fallback serves. Default: `mean` for numbers, `mode` otherwise. */
  populationStat?: PopulationStat;
  /** When true, a request that cannot serve this feature fails fast. Default: false. */
  required?: boolean;
  description?: string;
}

/** A feature after validation. */
export interface Feature {
  readonly name: string;
  readonly type: ValueType;
  readonly nullable: boolean;
  /** The static default, already in the type's canonical representation; `undefined` when none. */
  readonly default: FeatureValue | undefined;
  readonly fallback: readonly FallbackStep[];
  readonly populationStat: PopulationStat;
  readonly required: boolean;
  readonly description?: string;
}

/** A freshness service-level objective: `target` of served values younger than `threshold`. */
export interface FreshnessSloInput {
  /** Share of served values that must be fresh, in (0, 1). Default: 0.99. */
  target?: number;
  /** Age under which a served value counts as fresh. Default: the view's maxAge. */
  threshold?: DurationInput;
}

/** Input to {@link defineFeatureView}. */
export interface FeatureViewInput {
  /** View name, unique in the registry. */
  name: string;
  /** The entity whose keys address this view. */
  entity: Entity;
  /** The features, in order. */
  features: readonly FeatureInput[];
  /** Age beyond which a served value is STALE. Required. */
  maxAge: DurationInput;
  /** How long the store keeps values; at least maxAge so stale stays distinguishable from missing. Default: the larger of 7d and 2 x maxAge. */
  retention?: DurationInput;
  /** The freshness SLO. Default: 99 % younger than maxAge. */
  freshnessSlo?: FreshnessSloInput;
  /** Serve stale values flagged (`serve`) or try the fallback chain (`fallback`). Default: `serve`. */
  stalePolicy?: StalePolicy;
  /** The default fallback chain of the view's features. Default: `['last_known_good', 'population', 'default', 'null']`. */
  fallback?: readonly FallbackStep[];
  /** Oldest last-known-good value the fallback may serve. Default: the retention. */
  lastKnownGoodMaxAge?: DurationInput;
  /** Interval at which the view's pipeline writes its heartbeat row. Default: 10s. */
  heartbeatInterval?: DurationInput;
  /** Where the data comes from (topic, offline table); free-form, read by the apps. */
  source?: Readonly<Record<string, unknown>>;
  description?: string;
}

/** A feature view after validation: durations in milliseconds. */
export interface FeatureView {
  readonly name: string;
  readonly entity: Entity;
  readonly features: readonly Feature[];
  readonly featuresByName: ReadonlyMap<string, Feature>;
  readonly maxAgeMs: number;
  readonly retentionMs: number;
  readonly freshnessSlo: { readonly target: number; readonly thresholdMs: number };
  readonly stalePolicy: StalePolicy;
  readonly lastKnownGoodMaxAgeMs: number;
  readonly heartbeatIntervalMs: number;
  readonly source: Readonly<Record<string, unknown>>;
  readonly description?: string;
}

const DEFAULT_RETENTION_MS = 7 * 86_400_000;

function duration(input: DurationInput | undefined, path: string, fallback?: number): number {
  if (input === undefined) {
    if (fallback === undefined) throw new ValidationError('is required', path);
    return fallback;
  }
  const ms = parseDuration(input);
  if (ms === undefined) {
    throw new ValidationError(
      `invalid duration ${JSON.stringify(input)} (use e.g. "90s", "5m", "1h", "7d")`,
      path,
    );
  }
  return ms;
}

function chain(
  input: readonly FallbackStep[] | undefined,
  path: string,
): readonly FallbackStep[] | undefined {
  if (input === undefined) return undefined;
  if (!Array.isArray(input)) throw new ValidationError('must be a list of fallback steps', path);
  input.forEach((step, i) => {
    if (!FALLBACK_STEPS.includes(step)) {
      throw new ValidationError(
        `unknown fallback step ${JSON.stringify(step)} (use ${FALLBACK_STEPS.join(', ')})`,
        `${path}[${i}]`,
      );
    }
  });
  return Object.freeze([...input]);
}

function defineFeature(input: FeatureInput, viewChain: readonly FallbackStep[], path: string): Feature {
  if (typeof input !== 'object' || input === null) {
    throw new ValidationError('must be a feature definition ({ name, type, ... })', path);
  }
  if (!NAME_PATTERN.test(input.name ?? '')) {
    throw new ValidationError(
      `feature name ${JSON.stringify(input.name)} must match ${NAME_PATTERN}`,
      `${path}.name`,
    );
  }
  if (!isValueType(input.type)) {
    throw new ValidationError(`unknown type ${JSON.stringify(input.type)}`, `${path}.type`);
  }
  const nullable = input.nullable ?? true;
  let def: FeatureValue | undefined;
  if (input.default !== undefined) {
    const r = coerceValue(input.type, input.default);
    if (r.error !== undefined)
      throw new ValidationError(`default does not match type ${input.type}: ${r.error}`, `${path}.default`);
    if (r.value === null && !nullable)
      throw new ValidationError('default is null but the feature is not nullable', `${path}.default`);
    def = r.value;
  }
  const own = chain(input.fallback, `${path}.fallback`);
  if (own?.includes('null') && !nullable) {
    throw new ValidationError('fallback step "null" needs a nullable feature', `${path}.fallback`);
  }
  // An inherited chain simply skips "null" for a feature that may not be null.
  const fallback = own ?? (nullable ? viewChain : Object.freeze(viewChain.filter((s) => s !== 'null')));
  const numeric = input.type === 'float64' || input.type === 'float32' || input.type === 'int64';
  const populationStat = input.populationStat ?? (numeric ? 'mean' : 'mode');
  if (!['mean', 'median', 'mode'].includes(populationStat)) {
    throw new ValidationError(
      `unknown population statistic ${JSON.stringify(populationStat)}`,
      `${path}.populationStat`,
    );
  }
  if (!numeric && populationStat !== 'mode') {
    throw new ValidationError(
      `${populationStat} needs a numeric feature; use mode`,
      `${path}.populationStat`,
    );
  }
  return Object.freeze({
    name: input.name,
    type: input.type,
    nullable,
    default: def,
    fallback,
    populationStat,
    required: input.required ?? false,
    ...(input.description ? { description: input.description } : {}),
  });
}

/**
 * Defines a feature view: a group of features of one entity, written and read together, with one
 * freshness budget. Throws a ValidationError whose `path` names the offending field.
 */
export function defineFeatureView(input: FeatureViewInput): FeatureView {
  if (!NAME_PATTERN.test(input.name ?? '')) {
    throw new ValidationError(`view name ${JSON.stringify(input.name)} must match ${NAME_PATTERN}`, 'name');
  }
  if (!input.entity || !Array.isArray(input.entity.joinKeys))
    throw new ValidationError('must be an entity', 'entity');
  if (!Array.isArray(input.features) || input.features.length === 0) {
    throw new ValidationError('a view needs at least one feature', 'features');
  }
  const maxAgeMs = duration(input.maxAge, 'maxAge');
  if (maxAgeMs <= 0) throw new ValidationError('must be positive', 'maxAge');
  const retentionMs = duration(input.retention, 'retention', Math.max(DEFAULT_RETENTION_MS, 2 * maxAgeMs));
  if (retentionMs < maxAgeMs) {
    throw new ValidationError(
      `maxAge (${formatDuration(maxAgeMs)}) is above retention (${formatDuration(retentionMs)}): stale values would vanish and look missing`,
      'maxAge',
    );
  }
  const viewChain = chain(input.fallback, 'fallback') ?? FALLBACK_STEPS;
  const target = input.freshnessSlo?.target ?? 0.99;
  if (typeof target !== 'number' || !(target > 0 && target < 1)) {
    throw new ValidationError('must be a number between 0 and 1 (exclusive)', 'freshnessSlo.target');
  }
  const thresholdMs = duration(input.freshnessSlo?.threshold, 'freshnessSlo.threshold', maxAgeMs);
  if (thresholdMs <= 0) throw new ValidationError('must be positive', 'freshnessSlo.threshold');
  const heartbeatIntervalMs = duration(input.heartbeatInterval, 'heartbeatInterval', 10_000);
  if (heartbeatIntervalMs <= 0) throw new ValidationError('must be positive', 'heartbeatInterval');
  if (
    input.source !== undefined &&
    (typeof input.source !== 'object' || input.source === null || Array.isArray(input.source))
  ) {
    throw new ValidationError('must be an object', 'source');
  }
  const stalePolicy = input.stalePolicy ?? 'serve';
  if (stalePolicy !== 'serve' && stalePolicy !== 'fallback') {
    throw new ValidationError('must be "serve" or "fallback"', 'stalePolicy');
  }
  const joinKeyNames = new Set(input.entity.joinKeys.map((k) => k.name));
  const byName = new Map<string, Feature>();
  const features = input.features.map((f, i) => {
    const feature = defineFeature(f, viewChain, `features[${i}]`);
    if (byName.has(feature.name))
      throw new ValidationError(`duplicate feature ${feature.name}`, `features[${i}].name`);
    if (joinKeyNames.has(feature.name)) {
      throw new ValidationError(`feature ${feature.name} has the name of a join key`, `features[${i}].name`);
    }
    byName.set(feature.name, feature);
    return feature;
  });
  return Object.freeze({
    name: input.name,
    entity: input.entity,
    features: Object.freeze(features),
    featuresByName: byName,
    maxAgeMs,
    retentionMs,
    freshnessSlo: Object.freeze({ target, thresholdMs }),
    stalePolicy,
    lastKnownGoodMaxAgeMs: duration(input.lastKnownGoodMaxAge, 'lastKnownGoodMaxAge', retentionMs),
    heartbeatIntervalMs,
    source: Object.freeze({ ...input.source }),
    ...(input.description ? { description: input.description } : {}),
  });
}
