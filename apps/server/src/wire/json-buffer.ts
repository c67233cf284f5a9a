/**
 * A growable byte buffer for writing JSON text without building a JavaScript string: the bytes live outside
 * the V8 heap, so a wide response adds almost nothing for the young-generation collector to scan, and the
 * socket write needs no string flattening or UTF-8 encoding. Reused across responses by its owner (one per
 * serializer); {@link JsonBuffer.take} copies the written bytes out.
 */
export interface JsonBuffer {
  /** Starts a new document (keeps the memory). */
  reset(): void;
  /** Appends raw bytes (a cached fragment). */
  bytes(b: Uint8Array): void;
  /** Appends a string as UTF-8, unescaped (fragments known to be valid JSON). */
  raw(s: string): void;
  /** Appends a non-negative safe integer in decimal without allocating. */
  uint(n: number): void;
  /** The bytes written since {@link JsonBuffer.reset}, copied into a Buffer of their own. */
  take(): Buffer;
}

/** Creates a {@link JsonBuffer} with `initialBytes` of room (grows by doubling). Default 64 KiB. */
export function createJsonBuffer(initialBytes = 65_536): JsonBuffer {
  let buf = Buffer.allocUnsafe(initialBytes);
  let pos = 0;
  const ensure = (extra: number) => {
    if (pos + extra <= buf.length) return;
    let size = buf.length * 2;
    while (size < pos + extra) size *= 2;
    const next = Buffer.allocUnsafe(size);
    buf.copy(next, 0, 0, pos);
    buf = next;
  };
  return {
    reset() {
      pos = 0;
    },
    bytes(b) {
      ensure(b.length);
      buf.set(b, pos);
      pos += b.length;
    },
    raw(s) {
      ensure(s.length * 3);
      pos += buf.write(s, pos, 'utf8');
    },
    uint(n) {
      if (n < 10) {
        ensure(1);
        buf[pos++] = 48 + n;
        return;
      }
      ensure(16);
      let digits = 0;
      for (let x = n; x >= 1; x = Math.floor(x / 10)) digits++;
      for (let i = digits - 1, x = n; i >= 0; i--, x = Math.floor(x / 10)) buf[pos + i] = 48 + (x % 10);
      pos += digits;
    },
    take() {
      const out = Buffer.allocUnsafe(pos);
      buf.copy(out, 0, 0, pos);
      return out;
    },
  };
}
