import { serviceEndpoints } from '@granary/services';
import cassandra from 'cassandra-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GranaryServer } from '../src/granary-server.js';
import { runId, storeRoundTripTests } from './helpers/store-round-trip.js';
import { testServer } from './helpers/test-server.js';

const KEYSPACE = `granary_server_${runId()}`;
const endpoints = serviceEndpoints().cassandra;
let server: GranaryServer;
const raw = new cassandra.Client({
  contactPoints: [...endpoints.contactPoints],
  localDataCenter: endpoints.localDataCenter,
});

beforeAll(async () => {
  ({ server } = await testServer(
    {
      store: {
        type: 'cassandra',
        // The store creates the run's keyspace (SimpleStrategy, one replica) and its table.
        cassandra: { keyspace: KEYSPACE, createSchema: true },
      },
    },
    {
      env: {
        GRANARY_STORE__CASSANDRA__CONTACT_POINTS: `[${endpoints.contactPoints.join(', ')}]`,
        GRANARY_STORE__CASSANDRA__LOCAL_DATA_CENTER: endpoints.localDataCenter,
      },
    },
  ));
});
afterAll(async () => {
  await server?.close();
  await raw.execute(`DROP KEYSPACE IF EXISTS ${KEYSPACE}`);
  await raw.shutdown();
});

describe('end to end over Cassandra', () => {
  storeRoundTripTests(() => server);

  it('wrote into the configured keyspace', async () => {
    const rows = await raw.execute(`SELECT view_name FROM ${KEYSPACE}.online_features LIMIT 10`);
    expect(rows.rowLength).toBeGreaterThan(0);
  });
});
