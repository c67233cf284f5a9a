import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import {
  coerceValue,
  type EntityKey,
  type FeatureValue,
  parseTime,
  type Registry,
  SERVED_LOG_SCHEMA_VERSION,
} from '@granary/core';

/** A served-log line decoded against the registry (values in their canonical types). */
export interface ServedEntry {
  readonly view: string;
  readonly servedAt: number;
  readonly entity: EntityKey;
  readonly features: readonly string[];
  readonly values: Readonly<Record<string, FeatureValue>>;
  readonly sources: Readonly<Record<string, string>>;
}

/** Decodes one JSONL line of core's served log (`servedLogRecordToJson`); `undefined` when it is not one. */
export function decodeServedLine(line: string, registry: Registry): ServedEntry | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  if (r.schemaVersion !== SERVED_LOG_SCHEMA_VERSION || typeof r.view !== 'string') return undefined;
  const view = registry.views.get(r.view);
  const servedAt = typeof r.servedAt === 'string' ? parseTime(r.servedAt) : Number.NaN;
  if (!view || Number.isNaN(servedAt) || typeof r.entity !== 'object' || r.entity === null) return undefined;
  const features = Array.isArray(r.features)
    ? r.features.filter((f): f is string => typeof f === 'string')
    : [];
  const rawValues = (typeof r.values === 'object' && r.values !== null ? r.values : {}) as Record<
    string,
    unknown
  >;
  const values: Record<string, FeatureValue> = {};
  for (const f of features) {
    const feature = view.featuresByName.get(f);
    if (!feature) return undefined;
    const c = coerceValue(feature.type, rawValues[f] ?? null);
    if (c.error !== undefined) return undefined;
    values[f] = c.value;
  }
  return {
    view: view.name,
    servedAt,
    entity: r.entity as EntityKey,
    features,
    values,
    sources: (typeof r.sources === 'object' && r.sources !== null ? r.sources : {}) as Record<string, string>,
  };
}

/** Reads a served-log file line by line; returns the decoded entries and the number of skipped lines. */
export async function readServedLog(
  path: string,
  registry: Registry,
): Promise<{ entries: ServedEntry[]; skipped: number }> {
  const entries: ServedEntry[] = [];
  let skipped = 0;
  const lines = createInterface({
    input: createReadStream(path, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const e = decodeServedLine(line, registry);
    if (e) entries.push(e);
    else skipped++;
  }
  return { entries, skipped };
}
