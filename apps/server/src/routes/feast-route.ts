import type { EntityKey, FeatureStatus, GetFeaturesResponse, ServedFeature } from '@granary/core';
import { ApiError } from '../http/api-error.js';
import type { AppContext, GranaryApp } from '../http/create-app.js';
import { withFeastDetail } from '../http/feast-error-detail.js';
import { clientGoneSignal, DEADLINE_HEADER, requestDeadline } from '../http/request-deadline.js';
import { BODY_ERRORS, DEADLINE_ERRORS, DEADLINE_HEADER_DOC, feastErrors } from '../schemas/common-schemas.js';
import { documentedFeastRequestSchema, FeastResponse, feastRequestSchema } from '../schemas/feast-schemas.js';
import { registrySchemas } from '../schemas/registry-schemas.js';
import { toFeastValue, type WireValue } from '../wire/wire-value.js';
import { requestedFeatures } from './requested-features.js';

/** Feast's field statuses. */
export type FeastStatus = 'PRESENT' | 'NOT_FOUND' | 'OUTSIDE_MAX_AGE' | 'NULL_VALUE';

/** The event timestamp Feast reports for join keys and values without one. */
export const FEAST_EPOCH = '1970-01-01T00:00:00Z';

/**
 * Granary status to Feast status: PRESENT (NULL_VALUE when the value is null), STALE and BEHIND to
 * OUTSIDE_MAX_AGE, NOT_FOUND and UNAVAILABLE to NOT_FOUND (Feast has no "unavailable"; the value is then
 * the declared fallback, or null).
 */
export function toFeastStatus(served: ServedFeature): FeastStatus {
  const s: FeatureStatus = served.status;
  if (s === 'PRESENT') return served.value === null ? 'NULL_VALUE' : 'PRESENT';
  if (s === 'STALE' || s === 'BEHIND') return 'OUTSIDE_MAX_AGE';
  return 'NOT_FOUND';
}

/** Feast's timestamp format: ISO-8601 in seconds, with fractional digits only when not whole. */
export function toFeastTime(ms: number | null): string {
  if (ms === null) return FEAST_EPOCH;
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

interface FeastColumn {
  values: WireValue[];
  statuses: FeastStatus[];
  event_timestamps: string[];
}

/** Builds Feast's columnar response: the join keys first, then one column per requested feature. */
export function toFeastResponse(
  joinKeys: Readonly<Record<string, readonly (string | number)[]>>,
  features: readonly string[],
  response: GetFeaturesResponse,
  fullFeatureNames: boolean,
): { metadata: { feature_names: string[] }; results: FeastColumn[] } {
  const names: string[] = [];
  const results: FeastColumn[] = [];
  for (const [name, values] of Object.entries(joinKeys)) {
    names.push(name);
    results.push({
      values: [...values],
      statuses: values.map(() => 'PRESENT' as const),
      event_timestamps: values.map(() => FEAST_EPOCH),
    });
  }
  const seen = new Set<string>();
  for (const ref of features) {
    if (seen.has(ref)) continue;
    seen.add(ref);
    const sep = ref.indexOf(':');
    names.push(fullFeatureNames ? `${ref.slice(0, sep)}__${ref.slice(sep + 1)}` : ref.slice(sep + 1));
    const col: FeastColumn = { values: [], statuses: [], event_timestamps: [] };
    for (const e of response.entities) {
      const f = e.features[ref];
      col.values.push(f ? toFeastValue(f.value) : null);
      col.statuses.push(f ? toFeastStatus(f) : 'NOT_FOUND');
      col.event_timestamps.push(toFeastTime(f?.eventTime ?? null));
    }
    results.push(col);
  }
  return { metadata: { feature_names: names }, results };
}

/** `entities[3].driver_id` (engine path) -> `entities.driver_id[3]` (Feast's columnar request). */
function feastPath(path: string | undefined): string | undefined {
  return path
    ?.replace(/^entities\[(\d+)\]\.([A-Za-z0-9_]+)/, 'entities.$2[$1]')
    .replace(/^entities\[(\d+)\]$/, 'entities');
}

/**
 * `POST /get-online-features` (scope `read`): Feast's feature-server request and response, so Feast
 * clients can switch over, by feature list or by feature service (`feature_service`, the registry's).
 * Statuses are mapped by {@link toFeastStatus}.
 */
export function registerFeastRoute(app: GranaryApp, ctx: AppContext): void {
  app.post(
    '/get-online-features',
    {
      config: {
        scope: 'read',
        feast: true,
        docs: {
          body: documentedFeastRequestSchema(ctx.limits, registrySchemas(ctx.registry)),
          headers: DEADLINE_HEADER_DOC,
        },
      },
      schema: {
        summary: "Feast-compatible online features (Feast's request and response format)",
        tags: ['feast'],
        body: feastRequestSchema(ctx.limits),
        response: { 200: FeastResponse, ...feastErrors({ ...BODY_ERRORS, ...DEADLINE_ERRORS }) },
      },
      onSend: async (_request, reply, payload) => withFeastDetail(reply.statusCode, payload),
    },
    async (request, reply) => {
      const body = request.body;
      const features = requestedFeatures(
        ctx.registry,
        { features: body.features, service: body.feature_service },
        { features: 'features', service: 'feature_service' },
      );
      const columns = Object.entries(body.entities);
      const count = columns[0]?.[1].length ?? 0;
      for (const [name, values] of columns) {
        if (values.length !== count) {
          throw new ApiError(
            400,
            'VALIDATION_FAILED',
            `entities.${name}: has ${values.length} values, expected ${count} like the other join keys`,
            `entities.${name}`,
          );
        }
      }
      const entities: EntityKey[] = [];
      for (let i = 0; i < count; i++) {
        const key: Record<string, string | number> = {};
        for (const [name, values] of columns) key[name] = values[i] as string | number;
        entities.push(key);
      }
      const deadlineMs = requestDeadline(
        request.headers[DEADLINE_HEADER],
        undefined,
        ctx.config.engine.maxDeadlineMs,
      );
      let response: GetFeaturesResponse;
      try {
        response = await ctx.engine.get({
          features,
          entities,
          requestId: request.id,
          signal: clientGoneSignal(reply.raw),
          ...(deadlineMs === undefined ? {} : { deadlineMs }),
        });
      } catch (error) {
        const path = (error as { details?: { path?: unknown } })?.details?.path;
        if (typeof path === 'string' && path.startsWith('entities')) {
          const fixed = feastPath(path) as string;
          throw new ApiError(400, 'VALIDATION_FAILED', `${fixed}: ${(error as Error).message}`, fixed);
        }
        throw error;
      }
      reply.type('application/json');
      return JSON.stringify(
        toFeastResponse(body.entities, features, response, body.full_feature_names ?? false),
      );
    },
  );
}
