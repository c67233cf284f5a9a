import type { Segment } from './schema-walk.js';

/** A plain mapping (not a list, not null). */
export type Tree = Record<string, unknown>;

/** Whether `value` is a plain mapping. */
export function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at `path`, or undefined. */
export function getAt(tree: unknown, path: readonly Segment[]): unknown {
  let node = tree;
  for (const key of path) {
    if (typeof key === 'number') node = Array.isArray(node) ? node[key] : undefined;
    else node = isTree(node) ? node[key] : undefined;
  }
  return node;
}

/** Sets `value` at `path`, creating mappings on the way (a value in the way is replaced by a mapping). */
export function setAt(tree: Tree, path: readonly string[], value: unknown): void {
  let node = tree;
  for (const [i, key] of path.entries()) {
    if (i === path.length - 1) {
      node[key] = value;
      return;
    }
    const next = node[key];
    if (!isTree(next)) node[key] = {};
    node = node[key] as Tree;
  }
}

/** Removes the value at `path` and the mappings it leaves empty. */
export function deleteAt(tree: Tree, path: readonly string[]): void {
  const parents: Tree[] = [tree];
  for (const key of path.slice(0, -1)) {
    const next = parents[parents.length - 1]?.[key];
    if (!isTree(next)) return;
    parents.push(next);
  }
  for (let i = path.length - 1; i >= 0; i--) {
    const holder = parents[i] as Tree;
    const key = path[i] as string;
    if (i < path.length - 1 && !(isTree(holder[key]) && Object.keys(holder[key] as Tree).length === 0))
      return;
    delete holder[key];
  }
}

/** Replaces the value at `path` (keys and list indexes) when its holder exists; creates nothing. */
export function replaceAt(root: unknown, path: readonly Segment[], value: unknown): void {
  const holder = getAt(root, path.slice(0, -1));
  const last = path[path.length - 1];
  if (last !== undefined && (isTree(holder) || Array.isArray(holder)))
    (holder as Record<string | number, unknown>)[last] = value;
}

/** A copy without the entries whose value is undefined (so that a callee applies its own defaults). */
export function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
