import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createJsonlServedLogSink, servedLogRecordToJson } from './jsonl-served-log-sink.js';
import { SERVED_LOG_SCHEMA_VERSION, type ServedLogRecord } from './served-log.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const record: ServedLogRecord = {
  schemaVersion: SERVED_LOG_SCHEMA_VERSION,
  requestId: 'req-1',
  servedAt: Date.UTC(2026, 0, 1, 0, 0, 1),
  view: 'user_stats',
  entityKey: 'AQIAAAAAAAAAAQ',
  entity: { user_id: 1n },
  features: ['clicks', 'blob', 'ctr'],
  values: { clicks: 9007199254740993n, blob: new Uint8Array([1, 2, 3]), ctr: null },
  eventTimes: { clicks: Date.UTC(2026, 0, 1), blob: Date.UTC(2026, 0, 1), ctr: null },
  statuses: { clicks: 'PRESENT', blob: 'PRESENT', ctr: 'NOT_FOUND' },
  sources: { clicks: 'store', blob: 'store', ctr: 'none' },
};

describe('JSONL served-log sink', () => {
  it('serialises bigint as a decimal string, bytes as base64, times as ISO-8601', () => {
    expect(JSON.parse(servedLogRecordToJson(record))).toEqual({
      schemaVersion: 1,
      requestId: 'req-1',
      servedAt: '2026-01-01T00:00:01.000Z',
      view: 'user_stats',
      entityKey: 'AQIAAAAAAAAAAQ',
      entity: { user_id: '1' },
      features: ['clicks', 'blob', 'ctr'],
      values: { clicks: '9007199254740993', blob: 'AQID', ctr: null },
      eventTimes: { clicks: '2026-01-01T00:00:00.000Z', blob: '2026-01-01T00:00:00.000Z', ctr: null },
      statuses: { clicks: 'PRESENT', blob: 'PRESENT', ctr: 'NOT_FOUND' },
      sources: { clicks: 'store', blob: 'store', ctr: 'none' },
    });
  });

  it('appends one line per record, buffered until close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'granary-served-log-'));
    dirs.push(dir);
    const path = join(dir, 'nested', 'served.jsonl');
    const sink = createJsonlServedLogSink({ path });
    await sink.write([record, { ...record, requestId: 'req-2' }]);
    await sink.write([{ ...record, requestId: 'req-3' }]);
    await sink.close();
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).requestId)).toEqual(['req-1', 'req-2', 'req-3']);
    await expect(sink.write([record])).rejects.toThrow(/closed/);
    const again = createJsonlServedLogSink({ path, bufferBytes: 1 });
    await again.write([{ ...record, requestId: 'req-4' }]);
    await again.close();
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(4);
  });
});
