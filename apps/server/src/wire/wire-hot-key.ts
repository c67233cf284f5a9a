import { decodeEntityKey, entityKeyFromString, type HotKey, type Registry } from '@granary/core';
import { toWireKey } from './wire-value.js';

/**
 * The join keys of a hot key as the API shows them (decoded from the engine's canonical key string); the key
 * string itself when its view is unknown or the key does not decode.
 */
export function wireHotKeyJoinKeys(registry: Registry, h: HotKey): Record<string, string | number> | string {
  const v = registry.views.get(h.view);
  if (!v) return h.key;
  try {
    return toWireKey(decodeEntityKey(v.entity, entityKeyFromString(h.key)));
  } catch {
    return h.key;
  }
}
