import { describeOnlineStoreConformance } from '@granary/conformance';
import { createToxiproxyProxy } from '@granary/conformance/toxiproxy';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { createPostgresOnlineStore } from '../src/index.js';
import { assertPostgresAnswers, backdoor, POSTGRES_URL } from './postgres-env.js';

// The whole OnlineStore suite, the store talking to PostgreSQL THROUGH a Toxiproxy proxy (real faults);
// the backdoor reads the table directly. Each namespace is a table of its own.
const server = new URL(POSTGRES_URL);
const direct = new pg.Pool({ connectionString: POSTGRES_URL, max: 2 });
let proxy: Awaited<ReturnType<typeof createToxiproxyProxy>>;
beforeAll(async () => {
  await assertPostgresAnswers(direct);
  proxy = await createToxiproxyProxy({
    name: `postgres-online-store-${process.pid}`,
    upstream: `${server.hostname}:${server.port || 5432}`,
  });
});
afterAll(async () => Promise.all([proxy?.remove(), direct.end()]));

describeOnlineStoreConformance({
  name: 'postgres (through Toxiproxy)',
  create: ({ namespace, clock }) => {
    const url = new URL(POSTGRES_URL);
    url.hostname = proxy.host;
    url.port = String(proxy.port);
    return createPostgresOnlineStore({ connectionString: url.href, table: namespace, clock });
  },
  faults: () => proxy.faults,
  backdoor: (store) => backdoor(direct, store.table),
});
