import { DeleteTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { serviceEndpoints } from '@granary/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GranaryServer } from '../src/granary-server.js';
import { runId, storeRoundTripTests } from './helpers/store-round-trip.js';
import { testServer } from './helpers/test-server.js';

const TABLE_PREFIX = `gs_${runId()}_`;
const dynalite = serviceEndpoints().dynalite;
let server: GranaryServer;
const client = new DynamoDBClient({
  endpoint: dynalite.endpoint,
  region: dynalite.region,
  credentials: dynalite.credentials,
});

/** The tables of this run. */
async function runTables(): Promise<string[]> {
  const names: string[] = [];
  let start: string | undefined;
  do {
    const out = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    names.push(...(out.TableNames ?? []).filter((n) => n.startsWith(TABLE_PREFIX)));
    start = out.LastEvaluatedTableName;
  } while (start);
  return names;
}

beforeAll(async () => {
  // Everything through the config file's shape and GRANARY_ variables, as an operator would set it.
  ({ server } = await testServer(
    { store: { type: 'dynamodb', dynamodb: { createTables: true, credentials: dynalite.credentials } } },
    {
      env: {
        GRANARY_STORE__DYNAMODB__ENDPOINT: dynalite.endpoint,
        GRANARY_STORE__DYNAMODB__REGION: dynalite.region,
        GRANARY_STORE__DYNAMODB__TABLE_PREFIX: TABLE_PREFIX,
      },
    },
  ));
});
afterAll(async () => {
  await server?.close();
  for (const name of await runTables()) await client.send(new DeleteTableCommand({ TableName: name }));
  client.destroy();
});

describe('end to end over DynamoDB (dynalite)', () => {
  storeRoundTripTests(() => server);

  it('created one table per view under the configured prefix', async () => {
    expect((await runTables()).sort()).toEqual(
      expect.arrayContaining([`${TABLE_PREFIX}engagement`, `${TABLE_PREFIX}user_stats`]),
    );
  });
});
