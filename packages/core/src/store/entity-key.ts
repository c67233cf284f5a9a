import { CodecError, ValidationError } from '../errors.js';
import type { Entity, EntityKey, NormalizedEntityKey } from '../registry/entity.js';
import { ByteReader, ByteWriter } from './varint.js';

/**
 * Canonical entity-key encoding, version 1, identical in every adapter (docs/encoding.md; test vectors in
 * test/vectors/entity-keys.json). Injective for composite keys:
 *
 * - byte 0: `0x01` (encoding version);
 * - then for each join key, in the entity's declared order: a tag byte (`0x01` string, `0x02` int64,
 *   `0x03` bytes) and the part: string = LEB128 length + UTF-8; int64 = 8 bytes big-endian of
 *   `value + 2^63` (so byte order is numeric order); bytes = LEB128 length + raw bytes.
 *
 * Join-key names are not encoded: the entity's declared order is the canonical order.
 */
export const ENTITY_KEY_VERSION = 1;

const TAGS = { string: 0x01, int64: 0x02, bytes: 0x03 } as const;
const INT64_OFFSET = 2n ** 63n;
const INT64_MIN = -INT64_OFFSET;
const INT64_MAX = INT64_OFFSET - 1n;
const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Checks an entity key against the entity and converts each part to its canonical form (string, bigint,
 * Uint8Array). int64 parts accept a safe-integer number, a bigint or a decimal string; string parts accept
 * a string or a finite number (turned into its decimal string); bytes parts accept a Uint8Array or base64.
 * Throws a ValidationError whose path is `${path}.${joinKey}`.
 */
export function normalizeEntityKey(entity: Entity, key: EntityKey, path = 'key'): NormalizedEntityKey {
  if (typeof key !== 'object' || key === null || Array.isArray(key)) {
    throw new ValidationError(
      `entity key must be an object of ${entity.joinKeys.map((k) => k.name).join(', ')}`,
      path,
    );
  }
  const out: Record<string, string | bigint | Uint8Array> = {};
  for (const jk of entity.joinKeys) {
    // Own properties only: a join key named `constructor` is missing, not Object.prototype.constructor.
    const v = Object.hasOwn(key, jk.name) ? key[jk.name] : undefined;
    const p = `${path}.${jk.name}`;
    if (v === undefined || v === null)
      throw new ValidationError(`missing join key ${jk.name} of entity ${entity.name}`, p);
    switch (jk.type) {
      case 'string':
        if (typeof v === 'string') {
          if (!v.isWellFormed()) throw new ValidationError('join key is not valid Unicode', p);
          out[jk.name] = v;
        } else if (typeof v === 'number' && Number.isFinite(v)) out[jk.name] = String(v);
        else throw new ValidationError(`join key ${jk.name} must be a string`, p);
        break;
      case 'int64': {
        let b: bigint | undefined;
        if (typeof v === 'bigint') b = v;
        else if (typeof v === 'number' && Number.isSafeInteger(v)) b = BigInt(v);
        else if (typeof v === 'string' && /^-?\d{1,20}$/.test(v)) b = BigInt(v);
        if (b === undefined || b < INT64_MIN || b > INT64_MAX) {
          throw new ValidationError(`join key ${jk.name} must be an int64 (integer or decimal string)`, p);
        }
        out[jk.name] = b;
        break;
      }
      case 'bytes':
        if (v instanceof Uint8Array) out[jk.name] = v;
        else if (typeof v === 'string' && /^[A-Za-z0-9+/_-]*={0,2}$/.test(v))
          out[jk.name] = new Uint8Array(Buffer.from(v, 'base64'));
        else throw new ValidationError(`join key ${jk.name} must be bytes (base64)`, p);
        break;
    }
  }
  const extra = Object.keys(key).find((k) => !entity.joinKeys.some((jk) => jk.name === k));
  if (extra !== undefined) {
    throw new ValidationError(`unknown join key ${extra} for entity ${entity.name}`, `${path}.${extra}`);
  }
  return out;
}

/**
 * An entity key in its canonical string form: the base64url text (no padding) of {@link encodeEntityKey}'s
 * bytes. What OnlineStore v2 reads take (the engine hands stores the string its request planner already
 * built), and the key of the engine's caches. Make one with {@link entityKeyString} (from an entity key) or
 * {@link entityKeyToString} (from canonical bytes); a plain string is not one, so a record or a join-key
 * value cannot be passed where a canonical key is expected.
 */
export type EntityKeyString = string & { readonly [entityKeyStringBrand]: true };
declare const entityKeyStringBrand: unique symbol;

/** Encodes an entity key canonically (validating it first; a ValidationError names `${path}.<joinKey>`). */
export function encodeEntityKey(entity: Entity, key: EntityKey, path = 'key'): Uint8Array {
  const norm = normalizeEntityKey(entity, key, path);
  const w = new ByteWriter();
  w.byte(ENTITY_KEY_VERSION);
  for (const jk of entity.joinKeys) {
    const v = norm[jk.name] as string | bigint | Uint8Array;
    w.byte(TAGS[jk.type]);
    if (jk.type === 'int64') {
      const u = (v as bigint) + INT64_OFFSET;
      const b = new Uint8Array(8);
      new DataView(b.buffer).setBigUint64(0, u, false);
      w.bytes(b);
    } else {
      const b = jk.type === 'string' ? utf8.encode(v as string) : (v as Uint8Array);
      w.length(b.length);
      w.bytes(b);
    }
  }
  return w.finish();
}

/** Decodes bytes written by {@link encodeEntityKey} back into a normalized key. */
export function decodeEntityKey(entity: Entity, bytes: Uint8Array): NormalizedEntityKey {
  const r = new ByteReader(bytes);
  const version = r.byte();
  if (version !== ENTITY_KEY_VERSION) throw new CodecError(`unknown entity key version ${version}`);
  const out: Record<string, string | bigint | Uint8Array> = {};
  for (const jk of entity.joinKeys) {
    const tag = r.byte();
    if (tag !== TAGS[jk.type])
      throw new CodecError(`join key ${jk.name}: tag ${tag}, expected ${TAGS[jk.type]}`);
    if (jk.type === 'int64') {
      const b = r.bytes(8);
      out[jk.name] = new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, false) - INT64_OFFSET;
    } else {
      const b = r.bytes(r.length());
      if (jk.type === 'bytes') out[jk.name] = b.slice();
      else {
        try {
          out[jk.name] = utf8Decoder.decode(b);
        } catch (cause) {
          throw new CodecError(`join key ${jk.name}: invalid UTF-8`, { cause });
        }
      }
    }
  }
  r.end();
  return out;
}

/** The canonical key as a compact string (base64url, no padding): usable in Redis keys, logs, maps. */
export function entityKeyToString(bytes: Uint8Array): EntityKeyString {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(
    'base64url',
  ) as EntityKeyString;
}

/** The canonical string form of an entity key (validating it first): what OnlineStore v2 reads take. */
export function entityKeyString(entity: Entity, key: EntityKey, path = 'key'): EntityKeyString {
  return entityKeyToString(encodeEntityKey(entity, key, path));
}

/** Inverse of {@link entityKeyToString}. */
export function entityKeyFromString(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64url'));
}
