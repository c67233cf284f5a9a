import type { FeatureValue, Registry, WriteRow } from '@granary/core';
import { ApiError } from '../http/api-error.js';
import type { AppContext, GranaryApp } from '../http/create-app.js';
import { DEADLINE_HEADER, requestDeadline } from '../http/request-deadline.js';
import { BODY_ERRORS, DEADLINE_ERRORS, DEADLINE_HEADER_DOC } from '../schemas/common-schemas.js';
import { documentedPushRequestSchema, PushResponse, pushRequestSchema } from '../schemas/features-schemas.js';
import { registrySchemas } from '../schemas/registry-schemas.js';
import { fromWireTime } from '../wire/wire-time.js';
import { fromWireSpecialNumber } from '../wire/wire-value.js';

/** A pushed row as it arrives (wire form). */
export interface WirePushRow {
  view: string;
  key: Record<string, string | number>;
  values: Record<string, unknown>;
  eventTime: string | number;
  eventTimes?: Record<string, string | number>;
}

function time(value: unknown, path: string): number {
  const ms = fromWireTime(value);
  if (Number.isNaN(ms))
    throw new ApiError(400, 'VALIDATION_FAILED', `${path}: must be ISO-8601 or ms since the epoch`, path);
  return ms;
}

/**
 * Converts pushed rows to WriteRows: wire times to ms, and the strings "NaN"/"Infinity"/"-Infinity" of
 * float64 and float32 features to numbers. Types are checked by the store's write path (prepareWrites), whose
 * ValidationErrors name `rows[i].values.<feature>`.
 */
export function toWriteRows(rows: readonly WirePushRow[], registry: Registry): WriteRow[] {
  return rows.map((row, i) => {
    const view = registry.views.get(row.view);
    const values: Record<string, FeatureValue> = {};
    for (const [name, v] of Object.entries(row.values)) {
      const type = view?.featuresByName.get(name)?.type;
      const special = type === 'float64' || type === 'float32' ? fromWireSpecialNumber(v) : undefined;
      values[name] = (special ?? v) as FeatureValue;
    }
    const eventTimes: Record<string, number> | undefined = row.eventTimes
      ? Object.fromEntries(
          Object.entries(row.eventTimes).map(([f, t]) => [f, time(t, `rows[${i}].eventTimes.${f}`)]),
        )
      : undefined;
    return {
      view: row.view,
      key: row.key,
      values,
      eventTime: time(row.eventTime, `rows[${i}].eventTime`),
      ...(eventTimes ? { eventTimes } : {}),
    };
  });
}

/**
 * Writes rows through the engine's monotonic path (per-feature last-writer-wins by event time), within the
 * deadline of the `x-granary-deadline-ms` header (`deadlineHeader`), or the server's maximum without one. The
 * one write path of every write route. The header is checked (a 400 naming it) even when there are no rows.
 */
export async function writeRows(
  ctx: AppContext,
  rows: readonly WriteRow[],
  deadlineHeader: string | string[] | undefined,
): Promise<void> {
  const ms = requestDeadline(deadlineHeader, undefined, ctx.config.engine.maxDeadlineMs);
  // Timers take whole ms: a fractional budget (clients send what they have left, e.g. 12.5) rounds up.
  const budget = Math.ceil(ms ?? ctx.config.engine.maxDeadlineMs);
  if (rows.length > 0) await ctx.engine.write(rows, { signal: AbortSignal.timeout(budget) });
}

/**
 * `POST /v1/push` (scope `write`): writes rows through the engine's monotonic path (per-feature
 * last-writer-wins by event time: an older event never overwrites a newer one). Never retried by the client.
 */
export function registerPushRoute(app: GranaryApp, ctx: AppContext): void {
  app.post(
    '/v1/push',
    {
      config: {
        scope: 'write',
        docs: {
          body: documentedPushRequestSchema(ctx.limits, registrySchemas(ctx.registry)),
          headers: DEADLINE_HEADER_DOC,
        },
      },
      schema: {
        summary: 'Write feature rows (per-feature last-writer-wins by event time)',
        tags: ['write'],
        body: pushRequestSchema(ctx.limits),
        response: { 200: PushResponse, ...BODY_ERRORS, ...DEADLINE_ERRORS },
      },
    },
    async (request) => {
      const rows = toWriteRows(request.body.rows as WirePushRow[], ctx.registry);
      await writeRows(ctx, rows, request.headers[DEADLINE_HEADER]);
      return { written: rows.length };
    },
  );
}
