import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { isGranaryError, readEntities } from '@granary/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createDynamoDbOnlineStore } from '../src/index.js';
import { deleteTables, directConfig, directStore, dynaliteProxy, rawClient, runPrefix } from './helpers.js';
import { testView } from './views.js';

const view = testView('tv', { a: 'float64' });
const prefix = runPrefix('tables');
const raw = rawClient();
afterAll(async () => {
  await deleteTables(raw, prefix);
  raw.destroy();
});

const createRaw = (table: string, name: string, type: 'S' | 'B') =>
  raw.send(
    new CreateTableCommand({
      TableName: table,
      KeySchema: [{ AttributeName: name, KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: name, AttributeType: type }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );

describe('init', () => {
  it('creates missing tables with pk (Binary) and on-demand billing, and is idempotent', async () => {
    const p = `${prefix}create_`;
    const store = directStore({ tablePrefix: p });
    await store.init([view]);
    await store.init([view]);
    const { Table } = await raw.send(new DescribeTableCommand({ TableName: `${p}tv` }));
    expect(Table?.KeySchema).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }]);
    expect(Table?.AttributeDefinitions).toEqual([{ AttributeName: 'pk', AttributeType: 'B' }]);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    // A second store validates the existing table without creating anything.
    const again = createDynamoDbOnlineStore({ ...directConfig, tablePrefix: p });
    await again.init([view]);
    await Promise.all([store.close(), again.close()]);
  });

  it('fails clearly on a missing table when createTables is off', async () => {
    const store = createDynamoDbOnlineStore({ ...directConfig, tablePrefix: `${prefix}missing_` });
    const error = await store.init([view]).catch((e: unknown) => e);
    expect(isGranaryError(error, 'STORE_ERROR') && !error.retryable).toBe(true);
    expect(String(error)).toMatch(/table gt_tables_\w+_missing_tv for view tv does not exist.*createTables/);
    await store.close();
  });

  it.each([
    ['another key name', 'id', 'B' as const, 'id HASH B'],
    ['a string pk', 'pk', 'S' as const, 'pk HASH S'],
  ])('rejects an existing table with %s, naming the table and both schemas', async (_, name, type, found) => {
    const p = `${prefix}bad${type}${name}_`;
    await createRaw(`${p}tv`, name, type);
    const store = directStore({ tablePrefix: p });
    const error = await store.init([view]).catch((e: unknown) => e);
    expect(isGranaryError(error, 'STORE_ERROR') && !error.retryable).toBe(true);
    expect(String(error)).toContain(`${p}tv`);
    expect(String(error)).toContain(found);
    expect(String(error)).toContain('expected pk (Binary)');
    await store.close();
  });

  it('rejects table names DynamoDB would refuse, before calling it', async () => {
    const short = testView('ab', { a: 'float64' });
    const store = directStore({ tablePrefix: '' });
    await expect(store.init([short])).rejects.toSatisfy((e) => isGranaryError(e, 'VALIDATION_FAILED'));
    await store.close();
  });
});

describe('health and close', () => {
  it('reports not ready before init, ok after, and not ok when closed', async () => {
    const store = directStore({ tablePrefix: prefix });
    expect((await store.health()).ok).toBe(false);
    await store.init([view]);
    const h = await store.health();
    expect(h.ok).toBe(true);
    expect(h.latencyMs).toBeGreaterThanOrEqual(0);
    await store.close();
    expect(await store.health()).toMatchObject({ ok: false, detail: 'closed' });
    await expect(readEntities(store, view, [{ id: 'x' }], ['a'])).rejects.toSatisfy((e) =>
      isGranaryError(e, 'STORE_CLOSED'),
    );
  });

  it('an unreachable server makes health { ok: false } without throwing, then ok again', async () => {
    const { proxy, endpoint } = await dynaliteProxy(`granary-dynamodb-tables-${process.pid}`);
    const store = directStore({ endpoint, tablePrefix: prefix, maxAttempts: 1 });
    try {
      await store.init([view]);
      await proxy.setEnabled(false);
      const down = await store.health({ signal: AbortSignal.timeout(5000) });
      expect(down.ok).toBe(false);
      expect(down.detail).toMatch(/DescribeTable/);
      await proxy.setEnabled(true);
      expect((await store.health()).ok).toBe(true);
    } finally {
      await store.close();
      await proxy.remove();
    }
  });

  it('close() leaves a client passed in by the caller open', async () => {
    const client = new DynamoDBClient(directConfig);
    const store = directStore({ tablePrefix: prefix, client });
    await store.init([view]);
    await store.close();
    const { Table } = await client.send(new DescribeTableCommand({ TableName: `${prefix}tv` }));
    expect(Table?.TableName).toBe(`${prefix}tv`);
    client.destroy();
  });
});
