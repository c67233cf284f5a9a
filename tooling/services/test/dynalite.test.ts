import {
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureServices } from '../src/index.ts';

const table = `granary_services_test_${process.pid}_${Date.now()}`;
const clients: DynamoDBClient[] = [];

beforeAll(async () => {
  const { dynalite } = await ensureServices(['dynalite']);
  clients.push(
    new DynamoDBClient({
      endpoint: dynalite.endpoint,
      region: dynalite.region,
      credentials: dynalite.credentials,
    }),
  );
});

afterAll(async () => {
  for (const client of clients) {
    await client.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
    client.destroy();
  }
});

it('@aws-sdk/client-dynamodb CreateTable, PutItem, GetItem on dynalite', async () => {
  const [client] = clients;
  if (!client) throw new Error('no client');
  await client.send(
    new CreateTableCommand({
      TableName: table,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'k1' }, v: { N: '42' } } }));
  const got = await client.send(
    new GetItemCommand({ TableName: table, Key: { pk: { S: 'k1' } }, ConsistentRead: true }),
  );
  expect(got.Item?.v?.N).toBe('42');
});
