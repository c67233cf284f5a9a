import { CodecError } from '../errors.js';

/** A growable byte buffer used by the codecs. */
export class ByteWriter {
  private buf = new Uint8Array(64);
  private len = 0;

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + extra));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  /** Unsigned LEB128. */
  uvarint(value: bigint | number): void {
    let v = BigInt(value);
    do {
      let b = Number(v & 0x7fn);
      v >>= 7n;
      if (v > 0n) b |= 0x80;
      this.byte(b);
    } while (v > 0n);
  }

  /** Unsigned LEB128 for small non-negative integers (lengths, counts). */
  length(n: number): void {
    let v = n;
    while (v >= 0x80) {
      this.byte((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    this.byte(v);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** A cursor over bytes used by the decoders; every read checks bounds. */
export class ByteReader {
  pos = 0;
  readonly buf: Uint8Array;
  constructor(buf: Uint8Array) {
    this.buf = buf;
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  byte(): number {
    if (this.pos >= this.buf.length) throw new CodecError('unexpected end of data');
    return this.buf[this.pos++] as number;
  }

  bytes(n: number): Uint8Array {
    if (n > this.remaining)
      throw new CodecError(`unexpected end of data (need ${n} bytes, have ${this.remaining})`);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  uvarint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      // Canonical form only, so that every value has exactly one encoding and decoded values fit 64 bits.
      if (i === 9 && b > 1) throw new CodecError('varint exceeds 64 bits');
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) {
        if (b === 0 && i > 0) throw new CodecError('non-canonical varint (redundant trailing zero byte)');
        return result;
      }
      shift += 7n;
    }
    throw new CodecError('varint longer than 10 bytes');
  }

  length(): number {
    const v = this.uvarint();
    if (v > BigInt(this.remaining))
      throw new CodecError(`length ${v} exceeds the remaining ${this.remaining} bytes`);
    return Number(v);
  }

  end(): void {
    if (this.remaining !== 0) throw new CodecError(`${this.remaining} unexpected trailing bytes`);
  }
}
