import type { FeatureSource, FeatureStatus, GetFeaturesResponse, ServedFeature } from '@granary/core';
import { FEATURE_SOURCES, FEATURE_STATUSES } from '@granary/core';
import { createJsonBuffer } from './json-buffer.js';
import { toWireTime, toWireValue } from './wire-value.js';

/** Serializes one response of `POST /v1/features` to JSON bytes. */
export type FeaturesResponseSerializer = (r: GetFeaturesResponse) => Buffer;

/** Feature references whose name fragments are kept; past this the cache starts over. */
const REF_CACHE_SIZE = 10_000;

/**
 * Granary's JSON response of `POST /v1/features`, written straight into bytes: every fragment that repeats
 * (a reference's `"ref":{"value":`, the `status`/`source` part, a row's shared event time) is encoded once
 * and copied, integers are written digit by digit, and only values that need formatting (floats, strings,
 * lists) become strings. Produces exactly what `JSON.stringify` of the documented shape would (tested).
 * The serializer reuses one buffer: use one per server, from one thread.
 */
export function createFeaturesResponseSerializer(): FeaturesResponseSerializer {
  const w = createJsonBuffer();
  const refs = new Map<string, Buffer>();
  const middles = new Map<FeatureStatus, Map<FeatureSource, Buffer>>();
  for (const status of FEATURE_STATUSES) {
    const bySource = new Map<FeatureSource, Buffer>();
    for (const source of FEATURE_SOURCES)
      bySource.set(source, Buffer.from(`,"status":"${status}","source":"${source}","ageMs":`));
    middles.set(status, bySource);
  }
  const EVENT_TIME = Buffer.from(',"eventTime":');
  const ref = (name: string): Buffer => {
    let b = refs.get(name);
    if (b === undefined) {
      if (refs.size >= REF_CACHE_SIZE) refs.clear();
      b = Buffer.from(`${JSON.stringify(name)}:{"value":`);
      refs.set(name, b);
    }
    return b;
  };
  const value = (v: ServedFeature['value']) => {
    if (typeof v === 'number') w.raw(Number.isFinite(v) ? String(v) : `"${toWireValue(v)}"`);
    else if (typeof v === 'boolean') w.raw(v ? 'true' : 'false');
    else if (v === null) w.raw('null');
    else if (typeof v === 'bigint') w.raw(`"${v}"`);
    else w.raw(JSON.stringify(toWireValue(v)));
  };
  const integer = (n: number) => (Number.isSafeInteger(n) && n >= 0 ? w.uint(n) : w.raw(String(n)));

  return (r) => {
    let lastMs: number | null | undefined;
    let lastIso = Buffer.from('null');
    const time = (ms: number | null): Buffer => {
      if (ms !== lastMs) {
        lastMs = ms;
        lastIso = Buffer.from(ms === null ? 'null' : `"${toWireTime(ms)}"`);
      }
      return lastIso;
    };
    w.reset();
    w.raw(
      `{"requestId":${JSON.stringify(r.requestId)},"servedAt":"${toWireTime(r.servedAt)}","degraded":${r.degraded},"counts":${JSON.stringify(r.counts)},"entities":[`,
    );
    r.entities.forEach((e, i) => {
      w.raw(`${i === 0 ? '' : ','}{"key":${JSON.stringify(e.key)},"features":{`);
      let first = true;
      for (const name in e.features) {
        const f = e.features[name];
        if (f === undefined) continue;
        if (!first) w.raw(',');
        first = false;
        w.bytes(ref(name));
        value(f.value);
        w.bytes(middles.get(f.status)?.get(f.source) as Buffer);
        if (f.ageMs === null) w.raw('null');
        else integer(f.ageMs);
        w.bytes(EVENT_TIME);
        w.bytes(time(f.eventTime));
        if (f.reason !== undefined) w.raw(`,"reason":"${f.reason}"`);
        w.raw('}');
      }
      w.raw('}}');
    });
    w.raw(']}');
    return w.take();
  };
}
