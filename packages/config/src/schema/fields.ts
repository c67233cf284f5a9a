import { formatDuration, parseDuration, parseTime, toIsoTime } from '@granary/core';
import {
  type TArray,
  type TBoolean,
  type TCodec,
  type TEnum,
  type TInteger,
  type TLiteral,
  type TNumber,
  type TObject,
  type TOptional,
  type TProperties,
  type TSchema,
  type TString,
  type TUnion,
  Type,
} from 'typebox';

/**
 * The builders every config section is declared with: TypeBox types (the static type, the check and the
 * defaults come from them) carrying a `description` (for `--help` and the README tables) and, where the
 * loader treats a value specially, an `x-kind` keyword: `duration` (a string with a unit, decoded to ms by
 * core's one duration parser), `path` (resolved against the config file's folder), `secret` (refused in a
 * file: environment or a `...File` path only), `url` (a URL whose password, if any, must not be in a file),
 * `falseOr` (`false` or a mapping). Fields with a default are
 * required in the static type: the loader fills them in before the check.
 */
export type FieldKind = 'duration' | 'time' | 'path' | 'secret' | 'url' | 'falseOr';

/** Options every field takes. */
export interface FieldOptions<T> {
  /** What the setting does (shown by `--help` and in the README tables). */
  readonly description: string;
  /** The default, in the file's own shape (`"5s"` for a duration). */
  readonly default?: T;
  /** How `--help` describes a default that is not a plain value ("each view's heartbeatInterval"). */
  readonly defaultText?: string;
}

function meta<T>(options: FieldOptions<T>, kind?: FieldKind): Record<string, unknown> {
  return {
    description: options.description,
    ...(options.default === undefined ? {} : { default: options.default }),
    ...(options.defaultText === undefined ? {} : { 'x-default-text': options.defaultText }),
    ...(kind === undefined ? {} : { 'x-kind': kind }),
  };
}

/** A non-empty string. */
export function str(options: FieldOptions<string> & { readonly allowEmpty?: boolean }): TString {
  return Type.String({ ...meta(options), ...(options.allowEmpty ? {} : { minLength: 1 }) });
}

/** An integer in `[min, max]` (defaults: 0 and `Number.MAX_SAFE_INTEGER`). */
export function int(
  options: FieldOptions<number> & { readonly min?: number; readonly max?: number },
): TInteger {
  return Type.Integer({
    ...meta(options),
    minimum: options.min ?? 0,
    maximum: options.max ?? Number.MAX_SAFE_INTEGER,
  });
}

/** A TCP port (0 picks a free one). */
export function port(options: FieldOptions<number>): TInteger {
  return int({ ...options, min: 0, max: 65535 });
}

/** A finite number in `[min, max]`, or `(min, max)` when `exclusive`. */
export function num(
  options: FieldOptions<number> & {
    readonly min?: number;
    readonly max?: number;
    readonly exclusive?: boolean;
  },
): TNumber {
  const [lo, hi] = options.exclusive ? ['exclusiveMinimum', 'exclusiveMaximum'] : ['minimum', 'maximum'];
  return Type.Number({
    ...meta(options),
    ...(options.min === undefined ? {} : { [lo]: options.min }),
    ...(options.max === undefined ? {} : { [hi]: options.max }),
  });
}

/** `true` or `false`. */
export function bool(options: FieldOptions<boolean>): TBoolean {
  return Type.Boolean(meta(options));
}

/** One of the given strings. */
export function oneOf<const V extends string[]>(
  values: readonly [...V],
  options: FieldOptions<V[number]>,
): TEnum<V> {
  return Type.Enum<V>(values, meta(options));
}

/** A literal string (the `type` of a sink or a store section branch). */
export function literal<const V extends string>(value: V): TLiteral<V> {
  return Type.Literal(value);
}

/**
 * A duration: a string with a unit (`"250ms"`, `"90s"`, `"5m"`, `"1h"`) or a number of ms, checked and
 * decoded to ms by core's `parseDuration`. `positive` refuses zero.
 */
export function duration(
  options: FieldOptions<string> & { readonly positive?: boolean },
): TCodec<TUnion<[TString, TNumber]>, number> {
  const base = Type.Union([Type.String(), Type.Number()], meta(options, 'duration'));
  const ok = (value: unknown) => {
    const ms = typeof value === 'string' || typeof value === 'number' ? parseDuration(value) : undefined;
    return ms !== undefined && (!options.positive || ms > 0);
  };
  return Type.Codec(Type.Refine(base, ok, () => 'invalid duration'))
    .Decode((value) => parseDuration(value) ?? Number.NaN)
    .Encode((ms: number) => formatDuration(ms));
}

/** A point in time: ISO-8601 with a zone (`2026-01-01T00:00:00Z`) or ms since the epoch; decoded to ms. */
export function isoTime(options: FieldOptions<string>): TCodec<TUnion<[TString, TNumber]>, number> {
  const base = Type.Union([Type.String(), Type.Number()], meta(options, 'time'));
  const ok = (value: unknown) =>
    (typeof value === 'string' || typeof value === 'number') && Number.isFinite(parseTime(value));
  return Type.Codec(Type.Refine(base, ok, () => 'invalid time'))
    .Decode((value) => parseTime(value))
    .Encode((time: number) => toIsoTime(time));
}

/** The default of a duration field from a default in ms (core's exported defaults). */
export function ms(value: number): string {
  return formatDuration(value);
}

/** A file path: relative paths in a file are resolved against the file's folder, others against the cwd. */
export function path(options: FieldOptions<string>): TString {
  return Type.String({ ...meta(options, 'path'), minLength: 1 });
}

/** A URL; one that carries a password (`redis://:pw@host`) is refused in a config file (set it in the environment). */
export function url(options: FieldOptions<string>): TString {
  return Type.String({ ...meta(options, 'url'), minLength: 1 });
}

/**
 * A secret (password, key, URL with credentials): from the environment, or from the file named by the
 * `<name>File` field {@link secretFields} declares beside it; a config file holding it is refused. Never logged.
 */
export function secret(options: FieldOptions<never>): TString {
  return Type.String({ ...meta(options, 'secret'), minLength: 1 });
}

/** `{ name?: secret, nameFile?: path }`: a secret and the file that may hold it instead. */
export function secretFields<const N extends string>(
  name: N,
  description: string,
): Record<N | `${N}File`, TOptional<TString>> {
  const fields: Record<string, TOptional<TString>> = {
    [name]: Type.Optional(secret({ description: `${description} (environment only, never in the file)` })),
    [`${name}File`]: Type.Optional(
      path({ description: `File holding the ${name} (trailing whitespace trimmed)` }),
    ),
  };
  return fields as Record<N | `${N}File`, TOptional<TString>>;
}

/** A list; a comma-separated string in the environment and in flags. */
export function list<T extends TSchema>(
  item: T,
  options: FieldOptions<readonly unknown[]> & { readonly nonEmpty?: boolean },
): TArray<T> {
  return Type.Array(item, { ...meta(options), ...(options.nonEmpty ? { minItems: 1 } : {}) });
}

/** A mapping of names to values. */
export function map<T extends TSchema>(value: T, options: FieldOptions<Record<string, unknown>>) {
  return Type.Record(Type.String(), value, meta(options));
}

/** A mapping with exactly these keys (unknown keys are errors); its default is `{}` unless `optional`. */
export function section<const P extends TProperties>(
  properties: P,
  options: { readonly description: string },
): TObject<P> {
  return Type.Object(properties, {
    description: options.description,
    additionalProperties: false,
    default: {},
  });
}

/** Like {@link section}, without a default: the section is absent unless given. */
export function optionalSection<const P extends TProperties>(
  properties: P,
  options: { readonly description: string },
): TObject<P> {
  return Type.Object(properties, { description: options.description, additionalProperties: false });
}

/** `false` (turned off) or the section; its default is the section with its own defaults. */
export function falseOr<T extends TSchema>(
  object: T,
  options: { readonly description: string; readonly off?: boolean },
): TUnion<[TLiteral<false>, T]> {
  return Type.Union([Type.Literal(false), object], {
    ...meta({ description: options.description, default: options.off ? false : {} }, 'falseOr'),
  });
}
