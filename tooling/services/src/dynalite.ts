import { createRequire } from 'node:module';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { type DynamoEndpoint, LOCALHOST, PORTS } from './endpoints.ts';
import type { ServiceDefinition } from './service.ts';

function dynaliteCli(): string | undefined {
  try {
    return createRequire(import.meta.url).resolve('dynalite/cli.js');
  } catch {
    return undefined;
  }
}

/** dynalite (DynamoDB API over LevelDB in memory) on this Node, tables created and deleted instantly. */
export const dynalite: ServiceDefinition = {
  name: 'dynalite',
  startTimeoutMs: 20_000,
  stopGraceMs: 5_000,
  localPorts: () => [PORTS.dynalite],
  async prerequisites() {
    if (dynaliteCli()) return [];
    return [
      {
        service: 'dynalite',
        what: 'the `dynalite` npm package is not installed',
        install: 'pnpm install (it is a dependency of @granary/services)',
      },
    ];
  },
  async start(ctx) {
    const cli = dynaliteCli();
    if (!cli) throw new Error('dynalite is not installed');
    await ctx.spawn('dynalite', process.execPath, [
      cli,
      '--host',
      LOCALHOST,
      '--port',
      String(PORTS.dynalite),
      '--createTableMs',
      '0',
      '--deleteTableMs',
      '0',
      '--updateTableMs',
      '0',
    ]);
  },
  probe: (endpoints, { timeoutMs }) => probeDynamo(endpoints.dynalite, timeoutMs),
};

/** Resolves when a DynamoDB API answers `ListTables` within `timeoutMs`. */
export async function probeDynamo(target: DynamoEndpoint, timeoutMs: number): Promise<void> {
  const { endpoint, region, credentials } = target;
  const client = new DynamoDBClient({ endpoint, region, credentials, maxAttempts: 1 });
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(timeoutMs) });
  } finally {
    client.destroy();
  }
}
