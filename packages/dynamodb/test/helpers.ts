import {
  DeleteTableCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
  GetItemCommand,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb';
import { type EntityKey, encodeEntityKey, type FeatureView } from '@granary/core';
import { createProxy, type ProxyHandle, type ServiceEndpoints, serviceEndpoints } from '@granary/services';
import { createDynamoDbOnlineStore, type DynamoDbOnlineStoreOptions } from '../src/index.js';

/** Where dynalite answers (GRANARY_DYNAMODB_ENDPOINT, else the services tool's port). */
export const dynalite: ServiceEndpoints['dynalite'] = serviceEndpoints().dynalite;

/** SDK settings that reach dynalite directly (any credentials do). */
export const directConfig = {
  endpoint: dynalite.endpoint,
  region: dynalite.region,
  credentials: dynalite.credentials,
} satisfies DynamoDBClientConfig;

/** A raw client straight to dynalite: the backdoor and the cleanup. */
export function rawClient(): DynamoDBClient {
  return new DynamoDBClient({ ...directConfig, maxAttempts: 1 });
}

/** A table prefix unique to this test file and process, so runs never share tables. */
export function runPrefix(tag: string): string {
  return `gt_${tag}_${process.pid.toString(36)}${Date.now().toString(36)}_`;
}

/** A store on dynalite (direct, not proxied) that creates its tables. */
export function directStore(options: DynamoDbOnlineStoreOptions) {
  return createDynamoDbOnlineStore({ ...directConfig, createTables: true, ...options });
}

/** Deletes every table whose name starts with `prefix`. */
export async function deleteTables(client: DynamoDBClient, prefix: string): Promise<void> {
  let start: string | undefined;
  const names: string[] = [];
  do {
    const out = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    names.push(...(out.TableNames ?? []).filter((n) => n.startsWith(prefix)));
    start = out.LastEvaluatedTableName;
  } while (start);
  for (const name of names) await client.send(new DeleteTableCommand({ TableName: name }));
}

/** The raw stored item of one entity in a view's table. */
export async function rawItem(client: DynamoDBClient, table: string, view: FeatureView, key: EntityKey) {
  const out = await client.send(
    new GetItemCommand({
      TableName: table,
      Key: { pk: { B: encodeEntityKey(view.entity, key) } },
      ConsistentRead: true,
    }),
  );
  return out.Item;
}

/** A Toxiproxy proxy in front of dynalite, and the endpoint URL that goes through it. */
export async function dynaliteProxy(name: string): Promise<{ proxy: ProxyHandle; endpoint: string }> {
  const proxy = await createProxy(name, dynalite.port, { upstreamHost: dynalite.host });
  return { proxy, endpoint: `http://${proxy.listenHost}:${proxy.listenPort}` };
}

/** Records the input of every `command` the client sends (an SDK middleware, outermost step). */
export function recordInputs(client: DynamoDBClient, command: string): Record<string, unknown>[] {
  const seen: Record<string, unknown>[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === command) seen.push(structuredClone(args.input as Record<string, unknown>));
      return next(args);
    },
    { step: 'initialize', name: `record${command}${seen.length}` },
  );
  return seen;
}
