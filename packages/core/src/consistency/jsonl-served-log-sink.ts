import { once } from 'node:events';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { toIsoTime } from '../time/clock.js';
import type { ServedLogRecord, ServedLogSink } from './served-log.js';

/** Options of {@link createJsonlServedLogSink}. */
export interface JsonlServedLogSinkOptions {
  /** File to append to (created with its directory when missing). */
  path: string;
  /** Bytes buffered before they are written to the file. Default: 65_536. */
  bufferBytes?: number;
}

/**
 * Converts a record to one JSON line: times as ISO-8601 (`servedAt`, `eventTimes`), int64 values (bigint) as
 * decimal strings, bytes as base64; every other field as in {@link ServedLogRecord}.
 */
export function servedLogRecordToJson(record: ServedLogRecord): string {
  const eventTimes: Record<string, string | null> = {};
  for (const [f, t] of Object.entries(record.eventTimes)) eventTimes[f] = t === null ? null : toIsoTime(t);
  return JSON.stringify(
    { ...record, servedAt: toIsoTime(record.servedAt), eventTimes },
    (_key, value: unknown) => {
      if (typeof value === 'bigint') return value.toString();
      if (value instanceof Uint8Array)
        return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
      return value;
    },
  );
}

/**
 * A served-log sink appending one JSON object per line (see {@link servedLogRecordToJson}) to a file,
 * buffered in memory up to `bufferBytes` and flushed on `close()`.
 */
export function createJsonlServedLogSink(options: JsonlServedLogSinkOptions): ServedLogSink {
  const bufferBytes = options.bufferBytes ?? 65_536;
  let stream: WriteStream | undefined;
  let pending: string[] = [];
  let pendingBytes = 0;
  let closed = false;
  let failure: unknown;

  const open = (): WriteStream => {
    if (!stream) {
      mkdirSync(dirname(options.path), { recursive: true });
      stream = createWriteStream(options.path, { flags: 'a' });
      // Keep the error for the next write instead of crashing the process on an unhandled 'error' event.
      stream.on('error', (e) => {
        failure = e;
      });
    }
    return stream;
  };
  const drain = async () => {
    if (failure !== undefined) throw failure;
    if (pending.length === 0) return;
    const chunk = pending.join('');
    pending = [];
    pendingBytes = 0;
    const s = open();
    if (!s.write(chunk)) await once(s, 'drain');
    if (failure !== undefined) throw failure;
  };

  return {
    async write(records) {
      if (closed) throw new Error(`served log ${options.path} is closed`);
      for (const r of records) {
        const line = `${servedLogRecordToJson(r)}\n`;
        pending.push(line);
        pendingBytes += line.length;
      }
      if (pendingBytes >= bufferBytes) await drain();
    },
    async close() {
      if (closed) return;
      closed = true;
      await drain();
      if (stream) {
        const s = stream;
        await new Promise<void>((resolve, reject) =>
          s.end((e?: Error | null) => (e ? reject(e) : resolve())),
        );
      }
    },
  };
}
