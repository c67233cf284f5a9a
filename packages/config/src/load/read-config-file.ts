import { readFileSync } from 'node:fs';
import { ConfigError } from '@granary/core';
import { LineCounter, type Node, parseDocument } from 'yaml';
import type { Segment } from '../schema/schema-walk.js';
import { isTree, type Tree } from '../schema/values.js';

/** A parsed config file: its values and the line of each path. */
export interface ConfigFile {
  readonly file: string;
  readonly tree: Tree;
  /** The 1-based line of the value at `path`, or undefined when the file does not have it. */
  readonly locate: (path: readonly Segment[]) => number | undefined;
}

/**
 * Reads a YAML (or JSON, which is YAML) config file. Throws a ConfigError naming the file when it cannot be
 * read, is not valid YAML (duplicate keys included), or its root is not a mapping. An empty file is `{}`.
 */
export function readConfigFile(file: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new ConfigError(`cannot read the config file: ${(cause as Error).message}`, '', file, { cause });
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first)
    throw new ConfigError(`invalid YAML: ${first.message.split('\n')[0]}`, '', file, { cause: first });
  const value: unknown = doc.toJS() ?? {};
  if (!isTree(value)) throw new ConfigError('the root must be a mapping', '', file);
  return {
    file,
    tree: value,
    locate: (path) => {
      const node = doc.getIn(path, true) as Node | undefined;
      const offset = node?.range?.[0];
      return offset === undefined ? undefined : lines.linePos(offset).line;
    },
  };
}
