import { isAbsolute, resolve } from 'node:path';
import { parseDuration } from '@granary/core';
import type { Field } from './schema.js';

/** Checks one value against its field; returns the normalized value or `{ error }`. */
export function checkField(
  field: Field,
  value: unknown,
  baseDir: string,
): { value: unknown } | { error: string } {
  switch (field.kind) {
    case 'string': {
      if (typeof value !== 'string' || value === '')
        return { error: `must be a non-empty string, got ${describe(value)}` };
      const local = field.path && value !== '-' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(value);
      return { value: local && !isAbsolute(value) ? resolve(baseDir, value) : value };
    }
    case 'integer':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value))
        return { error: `must be a number, got ${describe(value)}` };
      if (field.kind === 'integer' && !Number.isSafeInteger(value))
        return { error: `must be an integer, got ${value}` };
      if (field.min !== undefined && value < field.min)
        return { error: `must be >= ${field.min}, got ${value}` };
      if (field.max !== undefined && value > field.max)
        return { error: `must be <= ${field.max}, got ${value}` };
      return { value };
    }
    case 'boolean':
      return typeof value === 'boolean'
        ? { value }
        : { error: `must be true or false, got ${describe(value)}` };
    case 'duration': {
      const ms = typeof value === 'string' || typeof value === 'number' ? parseDuration(value) : undefined;
      return ms === undefined
        ? { error: `invalid duration ${JSON.stringify(value)} (use e.g. "90s", "5m", "1h")` }
        : { value: ms };
    }
    case 'enum':
      return typeof value === 'string' && field.values?.includes(value)
        ? { value }
        : { error: `must be one of ${field.values?.join(', ')}, got ${describe(value)}` };
    case 'string[]':
      return Array.isArray(value) && value.every((x) => typeof x === 'string')
        ? { value }
        : { error: `must be a list of strings, got ${describe(value)}` };
    case 'number[]':
      return Array.isArray(value) && value.every((x) => typeof x === 'number')
        ? { value }
        : { error: `must be a list of numbers, got ${describe(value)}` };
    case 'map': {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        return { error: 'must be a mapping' };
      for (const [k, v] of Object.entries(value)) {
        const ok = typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
        if (!ok) return { error: `${k}: must be a string or a list of strings` };
      }
      return { value };
    }
    case 'rules':
      return Array.isArray(value) ? { value } : { error: 'must be a list of { name, rule }' };
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return JSON.stringify(value);
  return typeof value === 'object' ? 'a mapping' : String(value);
}
