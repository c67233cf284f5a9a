import {
  type FeatureView,
  isGranaryError,
  normalizeEntityKey,
  type Registry,
  type WriteRow,
} from '@granary/core';
import { ApiError } from '../http/api-error.js';
import type { AppContext, GranaryApp } from '../http/create-app.js';
import { withFeastDetail } from '../http/feast-error-detail.js';
import { DEADLINE_HEADER } from '../http/request-deadline.js';
import { BODY_ERRORS, DEADLINE_ERRORS, DEADLINE_HEADER_DOC, feastErrors } from '../schemas/common-schemas.js';
import {
  documentedFeastWriteRequestSchema,
  FEAST_CREATED_COLUMN,
  FEAST_EVENT_TIME_COLUMN,
  FeastWriteResponse,
  feastWriteRequestSchema,
} from '../schemas/feast-write-schemas.js';
import { fromFeastTime } from '../wire/wire-time.js';
import { toWriteRows, type WirePushRow, writeRows } from './push-route.js';

/** Feast's write request as the schema admits it. */
export interface FeastWriteRequest {
  feature_view_name: string;
  df: Record<string, unknown[]>;
}

function invalid(path: string, problem: string): ApiError {
  return new ApiError(400, 'VALIDATION_FAILED', `${path}: ${problem}`, path);
}

function viewOf(registry: Registry, name: string): FeatureView {
  const view = registry.views.get(name);
  if (!view) {
    throw new ApiError(
      400,
      'UNKNOWN_VIEW',
      `feature_view_name: unknown view ${JSON.stringify(name)}`,
      'feature_view_name',
    );
  }
  return view;
}

/**
 * Feast's columnar rows (`df`) to WriteRows of `feature_view_name`: join-key columns to keys,
 * `event_timestamp` (ISO-8601, naive = UTC) to the event time, `created` ignored, every other column a
 * feature of the view. Throws an ApiError (400) naming `df.<column>` or `df.<column>[i]`.
 */
export function feastDfToWriteRows(body: FeastWriteRequest, registry: Registry): WriteRow[] {
  const view = viewOf(registry, body.feature_view_name);
  const columns = Object.entries(body.df);
  const count = columns[0]?.[1].length ?? 0;
  for (const [name, values] of columns) {
    if (values.length !== count)
      throw invalid(`df.${name}`, `has ${values.length} values, expected ${count} like the other columns`);
  }
  const keyNames = view.entity.joinKeys.map((k) => k.name);
  for (const name of [...keyNames, FEAST_EVENT_TIME_COLUMN]) {
    if (!Object.hasOwn(body.df, name)) throw invalid(`df.${name}`, `is required for view ${view.name}`);
  }
  const features: string[] = [];
  for (const [name] of columns) {
    if (keyNames.includes(name) || name === FEAST_EVENT_TIME_COLUMN) continue;
    if (name === FEAST_CREATED_COLUMN) {
      body.df[name]?.forEach((t, i) => {
        if (t !== null && Number.isNaN(fromFeastTime(t)))
          throw invalid(`df.${name}[${i}]`, 'must be null or an ISO-8601 timestamp');
      });
    } else if (view.featuresByName.has(name)) features.push(name);
    else throw invalid(`df.${name}`, `unknown column: not a join key or feature of view ${view.name}`);
  }
  const rows: WirePushRow[] = [];
  for (let i = 0; i < count; i++) {
    const at = (name: string) => body.df[name]?.[i];
    const eventTime = fromFeastTime(at(FEAST_EVENT_TIME_COLUMN));
    if (Number.isNaN(eventTime))
      throw invalid(`df.${FEAST_EVENT_TIME_COLUMN}[${i}]`, 'must be an ISO-8601 timestamp (naive is UTC)');
    const key = Object.fromEntries(keyNames.map((k) => [k, at(k) as string | number]));
    try {
      normalizeEntityKey(view.entity, key, `rows[${i}].key`);
    } catch (error) {
      throw asFeastError(error);
    }
    rows.push({
      view: view.name,
      key,
      values: Object.fromEntries(features.map((f) => [f, at(f)])),
      eventTime,
    });
  }
  return toWriteRows(rows, registry);
}

/**
 * A core ValidationError naming `rows[3].values.ctr` / `rows[3].key.user_id` (the engine's path) as a 400
 * naming `df.ctr[3]` / `df.user_id[3]` (Feast's columnar request); anything else unchanged.
 */
function asFeastError(error: unknown): unknown {
  const path = isGranaryError(error) ? error.details.path : undefined;
  if (typeof path !== 'string' || !path.startsWith('rows[')) return error;
  const fixed = path.replace(/^rows\[(\d+)\]\.(?:values|key)\.([A-Za-z0-9_]+)/, 'df.$2[$1]');
  return new ApiError(400, (error as { code: string }).code, `${fixed}: ${(error as Error).message}`, fixed);
}

/**
 * `POST /write-to-online-store` (scope `write`): Feast's SDK `write_to_online_store` (remote online store),
 * written through the same monotonic path as `/v1/push` (per-feature last-writer-wins by event time).
 */
export function registerFeastWriteRoute(app: GranaryApp, ctx: AppContext): void {
  app.post(
    '/write-to-online-store',
    {
      config: {
        scope: 'write',
        feast: true,
        docs: {
          body: documentedFeastWriteRequestSchema(ctx.limits, ctx.registry),
          headers: DEADLINE_HEADER_DOC,
        },
      },
      schema: {
        summary: "Feast-compatible write (Feast's write_to_online_store request)",
        tags: ['feast'],
        body: feastWriteRequestSchema(ctx.limits),
        response: { 200: FeastWriteResponse, ...feastErrors({ ...BODY_ERRORS, ...DEADLINE_ERRORS }) },
      },
      onSend: async (_request, reply, payload) => withFeastDetail(reply.statusCode, payload),
    },
    async (request) => {
      const rows = feastDfToWriteRows(request.body as FeastWriteRequest, ctx.registry);
      try {
        await writeRows(ctx, rows, request.headers[DEADLINE_HEADER]);
      } catch (error) {
        throw asFeastError(error);
      }
      return { written: rows.length };
    },
  );
}
