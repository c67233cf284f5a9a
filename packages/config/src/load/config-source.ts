import { ConfigError } from '@granary/core';
import { formatPath, type Segment } from '../schema/schema-walk.js';

/** Where a value came from, so that an error can name it. */
export type Source =
  | { readonly kind: 'file'; readonly file: string; readonly docPath: readonly Segment[] }
  | { readonly kind: 'env'; readonly variable: string }
  | { readonly kind: 'flag'; readonly flag: string };

/** A problem found in the configuration: the path of the value and what is wrong with it. */
export interface ConfigProblem {
  readonly path: readonly Segment[];
  readonly problem: string;
}

const key = (path: readonly Segment[]) => path.join('\u0000');
const startsWith = (path: readonly Segment[], prefix: readonly Segment[]) =>
  prefix.length <= path.length && prefix.every((p, i) => path[i] === p);

/**
 * The sources of the values that did not come from the file at their own path (environment variables,
 * flags, and file values that a rename moved), and the file itself for everything else.
 */
export class ConfigSources {
  readonly #entries = new Map<string, { path: readonly Segment[]; source: Source }>();

  constructor(
    private readonly file: string | undefined,
    private readonly locateLine: (docPath: readonly Segment[]) => number | undefined = () => undefined,
  ) {}

  /** Records that the value at `path` (and below) came from `source`. */
  set(path: readonly Segment[], source: Source): void {
    for (const [k, e] of this.#entries) if (startsWith(e.path, path)) this.#entries.delete(k);
    this.#entries.set(key(path), { path, source });
  }

  /** A value moved from `from` to `to` (a rename): its source moves with it. */
  move(from: readonly Segment[], to: readonly Segment[]): void {
    const moved: { path: readonly Segment[]; source: Source }[] = [];
    for (const [k, e] of this.#entries) {
      if (!startsWith(e.path, from)) continue;
      this.#entries.delete(k);
      moved.push({ path: [...to, ...e.path.slice(from.length)], source: e.source });
    }
    if (moved.length === 0 && this.file !== undefined)
      moved.push({ path: to, source: { kind: 'file', file: this.file, docPath: from } });
    for (const m of moved) this.#entries.set(key(m.path), m);
  }

  /** The source of the value at `path`: the nearest recorded ancestor, else the file (undefined without one). */
  of(path: readonly Segment[]): Source | undefined {
    for (let n = path.length; n >= 0; n--) {
      const entry = this.#entries.get(key(path.slice(0, n)));
      if (entry) {
        const s = entry.source;
        return s.kind === 'file' ? { ...s, docPath: [...s.docPath, ...path.slice(n)] } : s;
      }
    }
    return this.file === undefined ? undefined : { kind: 'file', file: this.file, docPath: path };
  }

  /** Whether the value at `path` came from the config file. */
  fromFile(path: readonly Segment[]): boolean {
    return this.of(path)?.kind === 'file';
  }

  /**
   * A ConfigError for `problem`, naming where the value came from: the file, path and line; the
   * environment variable; or the flag. A missing value in a section that only the environment or a flag
   * created names that variable or flag.
   */
  error(problem: ConfigProblem, options: { cause?: unknown } = {}): ConfigError {
    const path = problem.path;
    let source = this.of(path);
    const parent = path.slice(0, -1);
    const unlocated =
      source === undefined || (source.kind === 'file' && this.line(source.docPath) === undefined);
    if (unlocated && path.length > 0) {
      const inFile = source !== undefined && parent.length > 0 && this.line(parent) !== undefined;
      const under = [...this.#entries.values()].find(
        (e) => startsWith(e.path, parent) && e.source.kind !== 'file',
      );
      if (!inFile && under) source = under.source;
    }
    const where = formatPath(path);
    if (source?.kind === 'env')
      return new ConfigError(problem.problem, where, `environment ${source.variable}`, options);
    if (source?.kind === 'flag') return new ConfigError(problem.problem, where, source.flag, options);
    if (source === undefined) return new ConfigError(problem.problem, where, undefined, options);
    const line = this.line(source.docPath) ?? this.line(source.docPath.slice(0, -1));
    return new ConfigError(
      line === undefined ? problem.problem : `${problem.problem} (line ${line})`,
      where,
      source.file,
      {
        ...options,
        ...(line === undefined ? {} : { details: { line } }),
      },
    );
  }

  private line(docPath: readonly Segment[]): number | undefined {
    return docPath.length === 0 ? undefined : this.locateLine(docPath);
  }
}
