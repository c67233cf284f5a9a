import type { GetFeaturesResponse, ServedFeature } from '@granary/core';
import { toWireTime, toWireValue } from './wire-value.js';

/** JSON of one value: numbers and booleans directly, everything else through JSON.stringify. */
function valueJson(value: ServedFeature['value']): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : `"${toWireValue(value)}"`;
  if (typeof value === 'boolean' || value === null) return String(value);
  if (typeof value === 'bigint') return `"${value}"`;
  return JSON.stringify(toWireValue(value));
}

/**
 * Granary's JSON response of `POST /v1/features`, written as one string: every entity has the same
 * features, so each reference is escaped once, and values of one row (which usually share an event time)
 * format each distinct time once. Produces exactly what `JSON.stringify` of the documented shape would
 * (tested), about twice as fast for wide responses.
 */
export function serializeFeaturesResponse(r: GetFeaturesResponse): string {
  const refJson = new Map<string, string>();
  let lastMs: number | null = null;
  let lastIso = 'null';
  const time = (ms: number | null): string => {
    if (ms !== lastMs) {
      lastMs = ms;
      lastIso = ms === null ? 'null' : `"${toWireTime(ms)}"`;
    }
    return lastIso;
  };
  let out = `{"requestId":${JSON.stringify(r.requestId)},"servedAt":"${toWireTime(r.servedAt)}","degraded":${r.degraded},"counts":${JSON.stringify(r.counts)},"entities":[`;
  r.entities.forEach((e, i) => {
    out += `${i === 0 ? '' : ','}{"key":${JSON.stringify(e.key)},"features":{`;
    let first = true;
    for (const ref in e.features) {
      const f = e.features[ref];
      if (f === undefined) continue;
      let name = refJson.get(ref);
      if (name === undefined) {
        name = JSON.stringify(ref);
        refJson.set(ref, name);
      }
      out += `${first ? '' : ','}${name}:{"value":${valueJson(f.value)},"status":"${f.status}","source":"${f.source}","ageMs":${f.ageMs === null ? 'null' : f.ageMs},"eventTime":${time(f.eventTime)}${f.reason === undefined ? '' : `,"reason":"${f.reason}"`}}`;
      first = false;
    }
    out += '}}';
  });
  return `${out}]}`;
}
