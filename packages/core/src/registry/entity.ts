import { ValidationError } from '../errors.js';

/** The type of one join key. */
export type JoinKeyType = 'string' | 'int64' | 'bytes';

/** One join key of an entity. */
export interface JoinKey {
  readonly name: string;
  readonly type: JoinKeyType;
}

/** An entity: the thing features describe, identified by one or more join keys (composite keys). */
export interface Entity {
  readonly name: string;
  /** Join keys in their canonical order (the order they are declared in). */
  readonly joinKeys: readonly JoinKey[];
  readonly description?: string;
}

/** Input to {@link defineEntity}. */
export interface EntityInput {
  /** Entity name: letters, digits, `_`, starting with a letter. */
  name: string;
  /** Join keys; a plain string means a `string` key. The declared order is the canonical order. */
  joinKeys: ReadonlyArray<string | { name: string; type?: JoinKeyType }>;
  description?: string;
}

/** One part of an entity key as users pass it. */
export type EntityKeyPart = string | number | bigint | Uint8Array;

/** An entity key as users pass it: join key name to value (`{ user_id: 42 }`). */
export type EntityKey = Readonly<Record<string, EntityKeyPart>>;

/** An entity key after normalisation: every join key present, int64 parts as bigint. */
export type NormalizedEntityKey = Readonly<Record<string, string | bigint | Uint8Array>>;

/** The pattern every name in the registry (entities, views, features, join keys) must match. */
export const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,127}$/;

/** Defines an entity. Throws a ValidationError naming the field when the definition is invalid. */
export function defineEntity(input: EntityInput): Entity {
  if (!NAME_PATTERN.test(input.name ?? '')) {
    throw new ValidationError(`entity name ${JSON.stringify(input.name)} must match ${NAME_PATTERN}`, 'name');
  }
  if (!Array.isArray(input.joinKeys) || input.joinKeys.length === 0) {
    throw new ValidationError(`entity ${input.name} needs at least one join key`, 'joinKeys');
  }
  const seen = new Set<string>();
  const joinKeys = input.joinKeys.map((k, i) => {
    const key =
      typeof k === 'string'
        ? { name: k, type: 'string' as const }
        : { name: k?.name, type: k?.type ?? 'string' }; // k?.: JS callers may pass null
    if (!NAME_PATTERN.test(key.name ?? '')) {
      throw new ValidationError(
        `join key name ${JSON.stringify(key.name)} must match ${NAME_PATTERN}`,
        `joinKeys[${i}]`,
      );
    }
    if (!['string', 'int64', 'bytes'].includes(key.type)) {
      throw new ValidationError(
        `join key type ${JSON.stringify(key.type)} must be string, int64 or bytes`,
        `joinKeys[${i}].type`,
      );
    }
    if (seen.has(key.name)) throw new ValidationError(`duplicate join key ${key.name}`, `joinKeys[${i}]`);
    seen.add(key.name);
    return Object.freeze(key);
  });
  return Object.freeze({
    name: input.name,
    joinKeys: Object.freeze(joinKeys),
    ...(input.description ? { description: input.description } : {}),
  });
}
