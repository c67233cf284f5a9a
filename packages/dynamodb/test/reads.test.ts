import {
  type AttributeValue,
  type BatchGetItemCommandOutput,
  DynamoDBClient,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-dynamodb';
import { isGranaryError, readEntities } from '@granary/core';
import { createManualClock } from '@granary/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbOnlineStore, type DynamoDbOnlineStore } from '../src/index.js';
import {
  deleteTables,
  directConfig,
  directStore,
  dynaliteProxy,
  rawClient,
  rawItem,
  recordInputs,
  runPrefix,
} from './helpers.js';
import { testView } from './views.js';

const T0 = Date.UTC(2026, 0, 1);
const view = testView('r_view', { a: 'float64', b: 'string', c: 'int64' });
const prefix = runPrefix('reads');
const raw = rawClient();
const keys = Array.from({ length: 250 }, (_, i) => ({ id: `u${i}` }));
let seeded: DynamoDbOnlineStore;

/** A store on its own client, whose BatchGetItem answers `tamper` may rewrite (SDK middleware). */
async function storeWith(
  tamper: (out: BatchGetItemCommandOutput, call: number) => BatchGetItemCommandOutput,
  options: Parameters<typeof directStore>[0] = {},
) {
  const client = new DynamoDBClient(directConfig);
  const requests = recordInputs(client, 'BatchGetItemCommand');
  let call = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName !== 'BatchGetItemCommand') return result;
      return { ...result, output: tamper(result.output as BatchGetItemCommandOutput, call++) };
    },
    { step: 'initialize', name: 'tamper' },
  );
  const store = directStore({ tablePrefix: prefix, client, ...options });
  await store.init([view]);
  return { store, client, requests };
}

/** Moves every returned item to UnprocessedKeys: a table throttled for good. */
function unprocessAll(out: BatchGetItemCommandOutput): BatchGetItemCommandOutput {
  const [table, items] = Object.entries(out.Responses ?? {})[0] ?? ['', []];
  return {
    ...out,
    Responses: { [table]: [] },
    UnprocessedKeys: { [table]: { Keys: items.map((item) => ({ pk: item.pk as AttributeValue })) } },
  };
}

/** Moves every other returned item to UnprocessedKeys, as DynamoDB does under throttling. */
function unprocessHalf(out: BatchGetItemCommandOutput): BatchGetItemCommandOutput {
  const [table, items] = Object.entries(out.Responses ?? {})[0] ?? ['', []];
  const kept: Record<string, AttributeValue>[] = [];
  const dropped: Record<string, AttributeValue>[] = [];
  items.forEach((item, i) => {
    (i % 2 === 0 ? kept : dropped).push(item);
  });
  return {
    ...out,
    Responses: { [table]: kept },
    UnprocessedKeys: { [table]: { Keys: dropped.map((item) => ({ pk: item.pk as AttributeValue })) } },
  };
}

beforeAll(async () => {
  seeded = directStore({ tablePrefix: prefix });
  await seeded.init([view]);
  await seeded.write(
    keys.map((key, i) => ({
      view: view.name,
      key,
      values: { a: i, b: `s${i}`, c: BigInt(i) },
      eventTime: T0,
    })),
  );
});
afterAll(async () => {
  await seeded.close();
  await deleteTables(raw, prefix);
  raw.destroy();
});

describe('BatchGetItem', () => {
  it('chunks to at most 100 distinct keys, projects only the requested features, keeps alignment', async () => {
    const { store, client, requests } = await storeWith((out) => out);
    const asked = [...keys, keys[0], keys[249], { id: 'missing' }] as typeof keys;
    const rows = await readEntities(store, view, asked, ['a', 'c']);
    expect(requests).toHaveLength(3);
    for (const r of requests) {
      const [spec] = Object.values(
        r.RequestItems as Record<
          string,
          {
            Keys: unknown[];
            ProjectionExpression: string;
            ExpressionAttributeNames: object;
            ConsistentRead: boolean;
          }
        >,
      );
      expect(spec?.Keys.length).toBeLessThanOrEqual(100);
      expect(Object.values(spec?.ExpressionAttributeNames ?? {}).sort()).toEqual([
        'pk',
        't_a',
        't_c',
        'ttl',
        'v_a',
        'v_c',
        'w_a',
        'w_c',
      ]);
      expect(spec?.ConsistentRead).toBe(false);
    }
    expect(rows).toHaveLength(253);
    expect(rows[7]).toEqual({
      a: { value: 7, eventTime: T0, writtenAt: expect.any(Number) },
      c: { value: 7n, eventTime: T0, writtenAt: expect.any(Number) },
    });
    expect([rows[250]?.a?.value, rows[251]?.a?.value, rows[252]]).toEqual([0, 249, {}]);
    await store.close();
    client.destroy();
  });

  it('retries UnprocessedKeys (Feast drops them) until every key is answered', async () => {
    const { store, client, requests } = await storeWith(
      (out, call) => (call < 2 ? unprocessHalf(out) : out),
      {
        readConcurrency: 1,
        backoffBaseMs: 5,
      },
    );
    const rows = await readEntities(store, view, keys.slice(0, 150), ['b']);
    expect(rows.map((r) => r.b?.value)).toEqual(keys.slice(0, 150).map((_, i) => `s${i}`));
    const sizes = requests.map(
      (r) => (Object.values(r.RequestItems as object)[0] as { Keys: unknown[] }).Keys.length,
    );
    // Chunk of 100 -> 50 unprocessed -> 25 unprocessed -> answered (the tamper stops); then the chunk of 50.
    expect(sizes).toEqual([100, 50, 25, 50]);
    await store.close();
    client.destroy();
  });

  it('keys that stay unprocessed fail the read with STORE_THROTTLED, never as absent', async () => {
    const { store, client, requests } = await storeWith(unprocessAll, {
      maxUnprocessedRetries: 3,
      backoffBaseMs: 1,
    });
    const error = await readEntities(store, view, keys.slice(0, 10), ['a']).catch((e: unknown) => e);
    expect(isGranaryError(error, 'STORE_THROTTLED') && error.retryable).toBe(true);
    expect(requests).toHaveLength(4);
    await store.close();
    client.destroy();
  });
});

describe('BatchGetItem: backoff, throttling and consistency', () => {
  it('backs off inside the deadline: a read whose signal fires while it waits rejects promptly', async () => {
    const { store, client } = await storeWith(unprocessAll, {
      maxUnprocessedRetries: 1000,
      backoffBaseMs: 200,
      backoffMaxMs: 200,
    });
    const started = Date.now();
    const error = await readEntities(store, view, keys.slice(0, 10), ['a'], {
      signal: AbortSignal.timeout(300),
    }).catch((e: unknown) => e);
    expect(isGranaryError(error, 'DEADLINE_EXCEEDED')).toBe(true);
    expect(Date.now() - started).toBeLessThan(600);
    await store.close();
    client.destroy();
  });

  it('throttling errors are retried by the SDK, then surface as STORE_THROTTLED', async () => {
    const client = new DynamoDBClient({ ...directConfig, maxAttempts: 2 });
    let attempts = 0;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== 'BatchGetItemCommand') return next(args);
        attempts++;
        throw new ProvisionedThroughputExceededException({
          message: 'slow down',
          $metadata: { httpStatusCode: 400 },
        });
      },
      // Inside the SDK's retry loop (finalizeRequest), so every attempt meets the throttle.
      { step: 'deserialize', name: 'throttle' },
    );
    const store = directStore({ tablePrefix: prefix, client });
    await store.init([view]);
    const error = await readEntities(store, view, keys.slice(0, 3), ['a']).catch((e: unknown) => e);
    expect(isGranaryError(error, 'STORE_THROTTLED') && error.retryable).toBe(true);
    expect(attempts).toBe(2);
    await store.close();
    client.destroy();
  });

  it('strongly consistent reads set ConsistentRead, per call or by default', async () => {
    const { store, client, requests } = await storeWith((out) => out);
    await readEntities(store, view, [keys[0] as { id: string }], ['a'], { consistent: true });
    await readEntities(store, view, [keys[0] as { id: string }], ['a']);
    const consistent = requests.map(
      (r) => (Object.values(r.RequestItems as object)[0] as { ConsistentRead: boolean }).ConsistentRead,
    );
    expect(consistent).toEqual([true, false]);
    await store.close();
    const byDefault = await storeWith((out) => out, { consistentReads: true });
    await readEntities(byDefault.store, view, [keys[0] as { id: string }], ['a']);
    expect(
      (Object.values(byDefault.requests[0]?.RequestItems as object)[0] as { ConsistentRead: boolean })
        .ConsistentRead,
    ).toBe(true);
    await byDefault.store.close();
    client.destroy();
    byDefault.client.destroy();
  });
});

describe('expiry, cancellation and failures', () => {
  it('items past their ttl are filtered at read time (dynalite never deletes them), scan skips them', async () => {
    const clock = createManualClock(Date.now());
    const store = directStore({ tablePrefix: prefix, clock });
    await store.init([view]);
    const key = { id: 'expiring' };
    await store.write([{ view: view.name, key, values: { a: 1 }, eventTime: T0 }]);
    clock.advance(view.retentionMs - 1000);
    expect((await readEntities(store, view, [key], ['a']))[0]?.a?.value).toBe(1);
    clock.advance(2000);
    expect(await readEntities(store, view, [key], ['a'])).toEqual([{}]);
    expect(await rawItem(raw, store.tableName(view.name), view, key)).toBeDefined();
    await store.write([{ view: view.name, key: { id: 'fresh' }, values: { a: 2 }, eventTime: T0 }]);
    const scanned: unknown[] = [];
    for await (const k of store.scan?.(view) ?? []) scanned.push(k.id);
    expect(scanned).not.toContain('expiring');
    expect(scanned).toContain('fresh');
    await store.close();
  });

  it('passes the AbortSignal to the SDK call', async () => {
    const client = new DynamoDBClient(directConfig);
    const signals: unknown[] = [];
    const send = client.send.bind(client);
    client.send = ((command: never, options?: { abortSignal?: unknown }) => {
      signals.push(options?.abortSignal);
      return send(command, options as never);
    }) as typeof client.send;
    const store = directStore({ tablePrefix: prefix, client });
    await store.init([view]);
    const signal = new AbortController().signal;
    await readEntities(store, view, [keys[0] as { id: string }], ['a'], { signal });
    await store.write([{ view: view.name, key: { id: 'sig' }, values: { a: 1 }, eventTime: T0 }], { signal });
    expect(signals.slice(-2)).toEqual([signal, signal]);
    await store.close();
    client.destroy();
  });

  it('a request slower than requestTimeoutMs fails with STORE_TIMEOUT', async () => {
    const { proxy, endpoint } = await dynaliteProxy(`granary-dynamodb-reads-${process.pid}`);
    const store = createDynamoDbOnlineStore({
      ...directConfig,
      endpoint,
      tablePrefix: prefix,
      requestTimeoutMs: 300,
      maxAttempts: 1,
    });
    try {
      await store.init([view]);
      await proxy.proxy.addToxic({
        name: 'slow',
        type: 'latency',
        stream: 'downstream',
        toxicity: 1,
        attributes: { latency: 1500, jitter: 0 },
      });
      const error = await readEntities(store, view, [keys[0] as { id: string }], ['a']).catch(
        (e: unknown) => e,
      );
      expect(isGranaryError(error, 'STORE_TIMEOUT') && error.retryable).toBe(true);
    } finally {
      await store.close();
      await proxy.remove();
    }
  });

  it('a server that refuses connections fails with STORE_UNAVAILABLE', async () => {
    const store = createDynamoDbOnlineStore({
      ...directConfig,
      endpoint: 'http://127.0.0.1:9',
      maxAttempts: 1,
      createTables: true,
    });
    const error = await store.init([view]).catch((e: unknown) => e);
    expect(isGranaryError(error, 'STORE_UNAVAILABLE')).toBe(true);
    await store.close();
  });
});
