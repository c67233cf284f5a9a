import type { Entity, EntityKey } from '../registry/entity.js';
import { type EntityKeyString, encodeEntityKey, entityKeyToString } from './entity-key.js';

const TWO_32 = 2 ** 32;
const VERSION = 0x01;
const STRING_TAG = 0x01;
const INT64_TAG = 0x02;

/** Encodes an entity key into the base64url text of its canonical bytes (the hash tag of a row key). */
export type EntityKeyEncoder = (key: EntityKey) => EntityKeyString;

/**
 * A fast encoder of entity keys, for read paths (the engine's request planner, store adapters): the canonical
 * encoding (`encodeEntityKey` then
 * `entityKeyToString`), with a shortcut for the usual inputs (string join keys given as well-formed strings,
 * int64 join keys given as safe integers) that writes the same bytes into a scratch buffer instead of allocating
 * a normalized key, a writer and a copy per key; byte-identical to core (checked by
 * property tests against it). Everything else (bigints, decimal strings, bytes join keys, missing or extra join
 * keys, wrong types) goes through core, which also raises its validation errors.
 */
export function createEntityKeyEncoder(entity: Entity): EntityKeyEncoder {
  const slow: EntityKeyEncoder = (key) => entityKeyToString(encodeEntityKey(entity, key));
  const joinKeys = entity.joinKeys;
  if (joinKeys.some((jk) => jk.type === 'bytes')) return slow;
  let scratch = Buffer.allocUnsafe(256);
  return (key) => {
    if (typeof key !== 'object' || key === null) return slow(key);
    const names = Object.keys(key);
    if (names.length !== joinKeys.length) return slow(key);
    // Worst case: version byte, then per join key a tag, a 5-byte length and 3 UTF-8 bytes per UTF-16 unit.
    let need = 1;
    for (const jk of joinKeys) {
      if (!names.includes(jk.name)) return slow(key);
      const v = key[jk.name];
      if (jk.type === 'string') {
        if (typeof v !== 'string' || !v.isWellFormed()) return slow(key);
        need += 6 + 3 * v.length;
      } else {
        if (typeof v !== 'number' || !Number.isSafeInteger(v)) return slow(key);
        need += 9;
      }
    }
    if (need > scratch.length) scratch = Buffer.allocUnsafe(Math.max(need, 2 * scratch.length));
    let at = 0;
    scratch[at++] = VERSION;
    for (const jk of joinKeys) {
      const v = key[jk.name] as string | number;
      if (jk.type === 'string') {
        scratch[at++] = STRING_TAG;
        let len = Buffer.byteLength(v as string, 'utf8');
        while (len >= 0x80) {
          scratch[at++] = (len & 0x7f) | 0x80;
          len = Math.floor(len / 128);
        }
        scratch[at++] = len;
        at += scratch.write(v as string, at, 'utf8');
      } else {
        scratch[at++] = INT64_TAG;
        at = writeOffsetInt64(scratch, at, v as number);
      }
    }
    return scratch.toString('base64url', 0, at) as EntityKeyString;
  };
}

/** Writes `v + 2^63` as 8 bytes big-endian (so byte order is numeric order); `v` is a safe integer. */
function writeOffsetInt64(into: Buffer, at: number, v: number): number {
  let hi: number;
  let lo: number;
  if (v >= 0) {
    hi = 0x80000000 + Math.floor(v / TWO_32);
    lo = v % TWO_32;
  } else {
    const a = -v;
    const aLo = a % TWO_32;
    lo = aLo === 0 ? 0 : TWO_32 - aLo;
    hi = 0x80000000 - Math.floor(a / TWO_32) - (aLo === 0 ? 0 : 1);
  }
  into.writeUInt32BE(hi, at);
  into.writeUInt32BE(lo, at + 4);
  return at + 8;
}
