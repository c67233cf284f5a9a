import {
  CreateTableCommand,
  DescribeTableCommand,
  type TableDescription,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { isGranaryError, StoreError, sleep } from '@granary/core';
import { errorName } from './errors.js';
import type { Send } from './send.js';
import { KEY_ATTRIBUTE, TTL_ATTRIBUTE } from './table-layout.js';

/** What {@link ensureTable} needs from the store. */
export interface TableSetupContext {
  readonly send: Send;
  readonly store: string;
  readonly createTables: boolean;
  readonly enableTimeToLive: boolean;
  readonly tableActiveTimeoutMs: number;
}

const EXPECTED = `${KEY_ATTRIBUTE} (Binary) as the only key (HASH)`;

/**
 * Why an existing table cannot hold Granary's layout, or undefined when it can: the key schema must be
 * exactly `pk` HASH of type Binary (no sort key).
 */
export function schemaProblem(table: TableDescription): string | undefined {
  const keys = table.KeySchema ?? [];
  const hash = keys.find((k) => k.KeyType === 'HASH');
  const type = table.AttributeDefinitions?.find((a) => a.AttributeName === KEY_ATTRIBUTE)?.AttributeType;
  const actual = keys.map((k) => {
    const t = table.AttributeDefinitions?.find((a) => a.AttributeName === k.AttributeName)?.AttributeType;
    return `${k.AttributeName} ${k.KeyType}${t ? ` ${t}` : ''}`;
  });
  if (keys.length !== 1 || hash?.AttributeName !== KEY_ATTRIBUTE || type !== 'B') {
    return `has key schema [${actual.join(', ')}], expected ${EXPECTED}`;
  }
  return undefined;
}

/**
 * Makes `table` usable: validates an existing table's key schema (a mismatch is a non-retryable STORE_ERROR
 * naming the table), or creates it when allowed (on-demand billing, then Time to Live on `ttl` where the
 * server supports it), and waits until it is ACTIVE.
 */
export async function ensureTable(
  ctx: TableSetupContext,
  table: string,
  view: string,
  signal?: AbortSignal,
): Promise<void> {
  let description = await describe(ctx, table, signal);
  if (!description) {
    if (!ctx.createTables) {
      throw new StoreError(
        'STORE_ERROR',
        `table ${table} for view ${view} does not exist: create it with ${EXPECTED} (see the README), or pass createTables: true`,
        ctx.store,
        { retryable: false, details: { table, view } },
      );
    }
    description = await create(ctx, table, signal);
  }
  const problem = schemaProblem(description);
  if (problem !== undefined) {
    throw new StoreError('STORE_ERROR', `table ${table} for view ${view} ${problem}`, ctx.store, {
      retryable: false,
      details: { table, view },
    });
  }
  await waitActive(ctx, table, description, signal);
}

async function describe(
  ctx: TableSetupContext,
  table: string,
  signal: AbortSignal | undefined,
): Promise<TableDescription | undefined> {
  try {
    const out = await ctx.send(
      (c, o) => c.send(new DescribeTableCommand({ TableName: table }), o),
      `DescribeTable ${table}`,
      signal,
    );
    return out.Table;
  } catch (error) {
    if (awsName(error) === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

async function create(
  ctx: TableSetupContext,
  table: string,
  signal: AbortSignal | undefined,
): Promise<TableDescription> {
  try {
    const input = {
      TableName: table,
      KeySchema: [{ AttributeName: KEY_ATTRIBUTE, KeyType: 'HASH' as const }],
      AttributeDefinitions: [{ AttributeName: KEY_ATTRIBUTE, AttributeType: 'B' as const }],
      BillingMode: 'PAY_PER_REQUEST' as const,
    };
    await ctx.send((c, o) => c.send(new CreateTableCommand(input), o), `CreateTable ${table}`, signal);
  } catch (error) {
    // Another process created it first: validate theirs.
    if (awsName(error) !== 'ResourceInUseException') throw error;
  }
  const description = await describe(ctx, table, signal);
  if (!description)
    throw new StoreError('STORE_ERROR', `table ${table} vanished after CreateTable`, ctx.store);
  await waitActive(ctx, table, description, signal);
  if (ctx.enableTimeToLive) await enableTtl(ctx, table, signal);
  return description;
}

async function enableTtl(
  ctx: TableSetupContext,
  table: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  try {
    const input = {
      TableName: table,
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
    };
    await ctx.send(
      (c, o) => c.send(new UpdateTimeToLiveCommand(input), o),
      `UpdateTimeToLive ${table}`,
      signal,
    );
  } catch (error) {
    // dynalite has no UpdateTimeToLive; a table whose TTL is already on answers ValidationException.
    const name = awsName(error);
    if (name !== 'UnknownOperationException' && name !== 'ValidationException') throw error;
  }
}

async function waitActive(
  ctx: TableSetupContext,
  table: string,
  initial: TableDescription,
  signal: AbortSignal | undefined,
): Promise<void> {
  const deadline = Date.now() + ctx.tableActiveTimeoutMs;
  let description: TableDescription | undefined = initial;
  for (let delay = 50; description?.TableStatus !== 'ACTIVE'; delay = Math.min(delay * 2, 2000)) {
    const status = description?.TableStatus ?? 'missing';
    if (status === 'DELETING' || status === 'missing' || Date.now() + delay > deadline) {
      throw new StoreError(
        'STORE_ERROR',
        `table ${table} is ${status}, not ACTIVE${status === 'DELETING' || status === 'missing' ? '' : ` after ${ctx.tableActiveTimeoutMs} ms`}`,
        ctx.store,
        { retryable: true, details: { table } },
      );
    }
    await sleep(delay, signal);
    description = await describe(ctx, table, signal);
  }
}

/** The AWS error name behind a mapped error. */
function awsName(error: unknown): string | undefined {
  return errorName(isGranaryError(error) ? error.cause : error);
}
