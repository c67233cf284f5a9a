import { describe, expect, it } from 'vitest';
import { clientConfigFor } from './client.js';
import { resolveOptions } from './options.js';

describe('options', () => {
  it('applies the documented defaults', () => {
    const o = resolveOptions({});
    expect(o).toMatchObject({
      tablePrefix: 'granary_',
      createTables: false,
      enableTimeToLive: true,
      consistentReads: false,
      readConcurrency: 8,
      writeConcurrency: 16,
      maxWriteAttempts: 8,
      maxUnprocessedRetries: 10,
      backoffBaseMs: 25,
      backoffMaxMs: 1000,
      maxValueBytes: 64 * 1024,
      name: 'dynamodb',
    });
  });

  it('rejects bad values naming the field', () => {
    expect(() => resolveOptions({ writeConcurrency: 0 })).toThrow(/writeConcurrency/);
    expect(() => resolveOptions({ maxValueBytes: 400 * 1024 })).toThrow(/maxValueBytes/);
    expect(() => resolveOptions({ tablePrefix: 'bad prefix' })).toThrow(/tablePrefix/);
    // A ConfigError with the field as its path, so the server reports it as store.dynamodb.<field>.
    expect(() => resolveOptions({ readConcurrency: 1.5 })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', path: 'readConcurrency' }),
    );
  });

  it('configures the SDK client for an online store: timeouts that throw, keep-alive, bounded retries', () => {
    const c = clientConfigFor({ endpoint: 'http://127.0.0.1:1', region: 'eu-west-1', requestTimeoutMs: 300 });
    expect(c).toMatchObject({
      endpoint: 'http://127.0.0.1:1',
      region: 'eu-west-1',
      maxAttempts: 3,
      requestHandler: {
        connectionTimeout: 1000,
        requestTimeout: 300,
        throwOnRequestTimeout: true,
        httpAgent: { keepAlive: true, maxSockets: 64 },
      },
    });
  });
});
