import cassandra from 'cassandra-driver';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureServices } from '../src/index.ts';

const keyspace = `granary_services_test_${process.pid}`;
const clients: cassandra.Client[] = [];

beforeAll(async () => {
  const endpoints = await ensureServices(['cassandra']);
  const client = new cassandra.Client({
    contactPoints: [...endpoints.cassandra.contactPoints],
    localDataCenter: endpoints.cassandra.localDataCenter,
  });
  await client.connect();
  clients.push(client);
});

afterAll(async () => {
  for (const client of clients) {
    await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
    await client.shutdown();
  }
});

it('cassandra-driver creates a keyspace and table, inserts and selects', async () => {
  const [client] = clients;
  if (!client) throw new Error('no client');
  await client.execute(
    `CREATE KEYSPACE IF NOT EXISTS ${keyspace} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`,
  );
  await client.execute(`CREATE TABLE IF NOT EXISTS ${keyspace}.features (k text PRIMARY KEY, v bigint)`);
  await client.execute(`INSERT INTO ${keyspace}.features (k, v) VALUES (?, ?)`, ['e1', 7], { prepare: true });
  const result = await client.execute(`SELECT v FROM ${keyspace}.features WHERE k = ?`, ['e1'], {
    prepare: true,
  });
  expect(result.first()?.get('v').toString()).toBe('7');
});
