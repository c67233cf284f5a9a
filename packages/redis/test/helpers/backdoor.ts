import type { ConformanceBackdoor } from '@granary/conformance';
import type { Cluster, Redis } from 'ioredis';
import { decodeCell, featureFieldId, type RedisKeyLayout } from '../../src/index.js';

/** Reads what the store really wrote, with a raw client that bypasses the store (and Toxiproxy). */
export function redisBackdoor(raw: Redis | Cluster, layout: RedisKeyLayout): ConformanceBackdoor {
  return {
    async rawValue(view, key, feature) {
      const cell = await raw.hgetBuffer(layout.rowKey(view, key), featureFieldId(feature));
      return cell ? new Uint8Array(decodeCell(cell).value) : undefined;
    },
    async ttlMs(view, key) {
      const ttl = await raw.pttl(layout.rowKey(view, key));
      return ttl >= 0 ? ttl : undefined;
    },
  };
}
