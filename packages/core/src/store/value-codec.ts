import { CodecError } from '../errors.js';
import type { FeatureValue, ValueType } from '../registry/value-types.js';
import { ByteReader, ByteWriter } from './varint.js';

/**
 * Granary's binary value codec, version 1, shared by every adapter. Layout (documented in
 * docs/encoding.md, test vectors in test/vectors/values.json):
 *
 * - byte 0: `0x00` for null; otherwise `0x10 | typeId` (high nibble = codec version 1).
 *   typeIds: int64 1, float64 2, bool 3, string 4, bytes 5, float32[] 6, float64[] 7, string[] 8, float32 9.
 * - int64: zigzag, then unsigned LEB128 (1 to 10 bytes). float64: 8 bytes little-endian. float32: 4 bytes
 *   little-endian (the value rounded to a 32-bit float).
 * - bool: one byte 0 or 1. string: UTF-8, no length (the value's length delimits it). bytes: raw.
 * - float32[] / float64[]: packed little-endian IEEE floats, 4 or 8 bytes each.
 * - string[]: count (LEB128), then per element its UTF-8 length (LEB128) and bytes.
 */
export const VALUE_CODEC_VERSION = 1;

const NULL_BYTE = 0x00;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const TYPE_IDS: Readonly<Record<ValueType, number>> = {
  int64: 1,
  float64: 2,
  bool: 3,
  string: 4,
  bytes: 5,
  'float32[]': 6,
  'float64[]': 7,
  'string[]': 8,
  float32: 9,
};

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

function fail(type: ValueType, value: unknown): never {
  throw new CodecError(`cannot encode ${typeof value} as ${type}`);
}

/** Encodes a value of `type` (canonical representation, see `ValueTypeMap`) into bytes. */
export function encodeValue(type: ValueType, value: FeatureValue): Uint8Array {
  if (value === null) return Uint8Array.of(NULL_BYTE);
  const w = new ByteWriter();
  w.byte(0x10 | TYPE_IDS[type]);
  switch (type) {
    case 'int64': {
      if (typeof value !== 'bigint') fail(type, value);
      if (value < INT64_MIN || value > INT64_MAX) throw new CodecError(`int64 out of range: ${value}`);
      w.uvarint(value >= 0n ? value << 1n : (-value << 1n) - 1n);
      break;
    }
    case 'float64': {
      if (typeof value !== 'number') fail(type, value);
      const b = new Uint8Array(8);
      new DataView(b.buffer).setFloat64(0, canonicalNaN(value), true);
      w.bytes(b);
      break;
    }
    case 'float32': {
      if (typeof value !== 'number') fail(type, value);
      const b = new Uint8Array(4);
      new DataView(b.buffer).setFloat32(0, canonicalNaN(value), true);
      w.bytes(b);
      break;
    }
    case 'bool':
      if (typeof value !== 'boolean') fail(type, value);
      w.byte(value ? 1 : 0);
      break;
    case 'string':
      if (typeof value !== 'string') fail(type, value);
      w.bytes(utf8.encode(value));
      break;
    case 'bytes':
      if (!(value instanceof Uint8Array)) fail(type, value);
      w.bytes(value);
      break;
    case 'float32[]':
    case 'float64[]': {
      if (!Array.isArray(value)) fail(type, value);
      const size = type === 'float32[]' ? 4 : 8;
      const b = new Uint8Array(value.length * size);
      const view = new DataView(b.buffer);
      value.forEach((x, i) => {
        if (typeof x !== 'number') fail(type, x);
        if (size === 4) view.setFloat32(i * 4, canonicalNaN(x), true);
        else view.setFloat64(i * 8, canonicalNaN(x), true);
      });
      w.bytes(b);
      break;
    }
    case 'string[]': {
      if (!Array.isArray(value)) fail(type, value);
      w.length(value.length);
      for (const s of value) {
        if (typeof s !== 'string') fail(type, s);
        const b = utf8.encode(s);
        w.length(b.length);
        w.bytes(b);
      }
      break;
    }
  }
  return w.finish();
}

/** Decodes bytes written by {@link encodeValue}; throws a CodecError when they are not a `type` value. */
export function decodeValue(type: ValueType, bytes: Uint8Array): FeatureValue {
  const r = new ByteReader(bytes);
  const header = r.byte();
  if (header === NULL_BYTE) {
    r.end();
    return null;
  }
  if (header >> 4 !== VALUE_CODEC_VERSION) throw new CodecError(`unknown value codec version ${header >> 4}`);
  if ((header & 0x0f) !== TYPE_IDS[type]) {
    throw new CodecError(`stored value has type id ${header & 0x0f}, expected ${type} (${TYPE_IDS[type]})`);
  }
  switch (type) {
    case 'int64': {
      const z = r.uvarint();
      r.end();
      return (z & 1n) === 0n ? z >> 1n : -((z + 1n) >> 1n);
    }
    case 'float64': {
      const b = r.bytes(8);
      r.end();
      return new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, true);
    }
    case 'float32': {
      const b = r.bytes(4);
      r.end();
      return new DataView(b.buffer, b.byteOffset, 4).getFloat32(0, true);
    }
    case 'bool': {
      const b = r.byte();
      r.end();
      if (b > 1) throw new CodecError(`invalid bool byte ${b}`);
      return b === 1;
    }
    case 'string':
      return decodeUtf8(r.bytes(r.remaining));
    case 'bytes':
      return r.bytes(r.remaining).slice();
    case 'float32[]':
    case 'float64[]': {
      const size = type === 'float32[]' ? 4 : 8;
      if (r.remaining % size !== 0)
        throw new CodecError(`${type} payload of ${r.remaining} bytes is not a multiple of ${size}`);
      const b = r.bytes(r.remaining);
      const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
      const out = new Array<number>(b.length / size);
      for (let i = 0; i < out.length; i++)
        out[i] = size === 4 ? view.getFloat32(i * 4, true) : view.getFloat64(i * 8, true);
      return out;
    }
    case 'string[]': {
      const count = r.length();
      const out: string[] = [];
      for (let i = 0; i < count; i++) out.push(decodeUtf8(r.bytes(r.length())));
      r.end();
      return out;
    }
  }
}

function decodeUtf8(b: Uint8Array): string {
  try {
    return utf8Decoder.decode(b);
  } catch (cause) {
    throw new CodecError('invalid UTF-8 in a string value', { cause });
  }
}

/** Every NaN is written with one bit pattern (the literal's), so a value always has exactly one encoding. */
function canonicalNaN(x: number): number {
  return Number.isNaN(x) ? Number.NaN : x;
}

/** Unsigned lexicographic comparison of two byte strings (a proper prefix sorts first). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}
