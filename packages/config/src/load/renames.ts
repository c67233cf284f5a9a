import { deleteAt, getAt, setAt, type Tree } from '../schema/values.js';
import type { ConfigProblem, ConfigSources } from './config-source.js';

/**
 * A key that moved. `accept: true` keeps old files working: the value moves to `to` (through `convert`) and
 * a deprecation warning names both; otherwise the old key is an error that names its new place (and `hint`).
 */
export interface Rename {
  /** The old dotted path, e.g. `store.kind`. */
  readonly from: string;
  /** The new dotted path, e.g. `store.type`. */
  readonly to: string;
  /** Accept the old key with a warning (default: refuse it, naming the new one). */
  readonly accept?: boolean;
  /** Turns an old value into the new one (`2000` ms -> `"2000ms"`). Default: unchanged. */
  readonly convert?: (value: unknown) => unknown;
  /** Said after the new name, e.g. `set store.type: redis-cluster too`. */
  readonly hint?: string;
  /** Applies only to values this accepts (`registry: file.yaml`, not `registry: { path }`). Default: all. */
  readonly when?: (value: unknown) => boolean;
}

/**
 * Applies the renames to the raw configuration: accepted ones move the value (and its source) and return a
 * warning; refused ones return the problem. Renames apply in order.
 */
export function applyRenames(
  tree: Tree,
  renames: readonly Rename[],
  sources: ConfigSources,
): { warnings: string[]; problem?: ConfigProblem } {
  const warnings: string[] = [];
  for (const r of renames) {
    const from = r.from.split('.');
    const value = getAt(tree, from);
    if (value === undefined || (r.when && !r.when(value))) continue;
    const to = r.to.split('.');
    const hint = r.hint ? `; ${r.hint}` : '';
    if (!r.accept) return { warnings, problem: { path: from, problem: `was renamed: use ${r.to}${hint}` } };
    if (getAt(tree, to) !== undefined) {
      return {
        warnings,
        problem: { path: from, problem: `was renamed to ${r.to}, which is set too: remove ${r.from}` },
      };
    }
    deleteAt(tree, from);
    setAt(tree, to, r.convert ? r.convert(value) : value);
    sources.move(from, to);
    warnings.push(`${r.from} is deprecated: use ${r.to}${hint} (the old key still works for now)`);
  }
  return { warnings };
}

/** The renames of a store-shaped section, for each place the section appears (`store`, `store.secondary`). */
export function renamesUnder(prefixes: readonly string[], renames: readonly Rename[]): Rename[] {
  return prefixes.flatMap((p) => renames.map((r) => ({ ...r, from: `${p}.${r.from}`, to: `${p}.${r.to}` })));
}
