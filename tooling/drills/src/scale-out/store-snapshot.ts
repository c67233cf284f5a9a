import { type FeatureView, type OnlineStore, readEntities } from '@granary/core';

/** Reads every entity's stored `seq` straight from the store (500 keys a call); null when absent. */
export async function readStoredSeqs(
  store: OnlineStore,
  view: FeatureView,
  entities: number,
): Promise<Map<number, number | null>> {
  const out = new Map<number, number | null>();
  for (let from = 0; from < entities; from += 500) {
    const users = Array.from({ length: Math.min(500, entities - from) }, (_, i) => from + i);
    const rows = await readEntities(
      store,
      view,
      users.map((user_id) => ({ user_id })),
      ['seq'],
      { signal: AbortSignal.timeout(5000) },
    );
    users.forEach((user, i) => {
      const v = rows[i]?.seq?.value;
      out.set(user, v === undefined || v === null ? null : Number(v));
    });
  }
  return out;
}
