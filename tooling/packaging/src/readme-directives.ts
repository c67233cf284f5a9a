/**
 * What the packaging check reads from a README. A code block is run when an HTML comment (invisible on
 * GitHub and npm) stands on the line before it, blank lines allowed in between:
 *
 *   <!-- packaging: run services=redis expect="value: 0.031" -->     the block is a program: node runs it
 *   <!-- packaging: vitest -->                                       the block is a test file: vitest runs it
 *   <!-- packaging: file granary.yaml -->                            the block is saved as that file
 *
 * `services=a,b` names the tooling/services servers the example needs (their addresses reach it as the
 * `GRANARY_*` variables); `server` asks for the reference server (`GRANARY_SERVER_URL`); each `expect="..."`
 * is text the program must print. `npm install` lines in `sh` blocks say what a user installs.
 */

export const DIRECTIVE_MODES = ['run', 'vitest', 'file'] as const;
export type DirectiveMode = (typeof DIRECTIVE_MODES)[number];

/** A code block the check runs or saves. */
export interface ReadmeExample {
  readonly readme: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly lang: string;
  readonly code: string;
  readonly mode: DirectiveMode;
  readonly services: readonly string[];
  readonly server: boolean;
  readonly expect: readonly string[];
  /** The file name, for `file` blocks. */
  readonly file?: string;
}

/** One `npm install` command of a README. */
export interface InstallLine {
  readonly readme: string;
  readonly line: number;
  readonly dev: boolean;
  readonly packages: readonly string[];
  /** Whether the same code block also shows the `pnpm add` command. */
  readonly withPnpm: boolean;
}

export interface ParsedReadme {
  readonly examples: readonly ReadmeExample[];
  readonly installs: readonly InstallLine[];
  /** Markers that cannot be used, each naming the README and the line. */
  readonly problems: readonly string[];
}

const MARKER = /^\s*<!--\s*packaging:\s*(.*?)\s*-->\s*$/;
const FENCE = /^\s*```+\s*([\w-]*)/;
const TOKEN = /(\w+)=(?:"([^"]*)"|'([^']*)'|(\S+))|(\S+)/g;
const SHELLS = new Set(['sh', 'bash', 'shell', 'console']);

interface Directive {
  mode: DirectiveMode;
  services: string[];
  server: boolean;
  expect: string[];
  file?: string;
}

function parseDirective(text: string, where: string, problems: string[]): Directive | undefined {
  const tokens = [...text.matchAll(TOKEN)];
  const head = tokens.shift();
  const mode = head?.[5];
  if (!mode || !(DIRECTIVE_MODES as readonly string[]).includes(mode)) {
    problems.push(`${where}: "packaging: ${text}" must start with one of ${DIRECTIVE_MODES.join(', ')}`);
    return undefined;
  }
  const d: Directive = { mode: mode as DirectiveMode, services: [], server: false, expect: [] };
  for (const t of tokens) {
    const [, key, dq, sq, bare, flag] = t;
    const value = dq ?? sq ?? bare ?? '';
    if (flag === 'server') d.server = true;
    else if (flag !== undefined && d.mode === 'file' && d.file === undefined) d.file = flag;
    else if (key === 'services') d.services.push(...value.split(',').filter(Boolean));
    else if (key === 'expect') d.expect.push(value);
    else problems.push(`${where}: unknown "${t[0]}" in "packaging: ${text}"`);
  }
  if (d.mode === 'file' && d.file === undefined)
    problems.push(`${where}: "packaging: file" needs a file name`);
  return d;
}

function installLine(text: string): { dev: boolean; packages: string[] } | undefined {
  const m = /^\s*(?:\$\s*)?npm\s+(?:install|i)\b(.*)$/.exec(text);
  if (!m) return undefined;
  const words = (m[1] ?? '').split('#', 1)[0]?.trim().split(/\s+/).filter(Boolean) ?? [];
  const dev = words.some((w) => w === '-D' || w === '--save-dev');
  return { dev, packages: words.filter((w) => !w.startsWith('-')) };
}

/** The runnable examples, files and `npm install` lines of a README, and the markers it cannot use. */
export function parseReadme(markdown: string, readme: string): ParsedReadme {
  const lines = markdown.split('\n');
  const examples: ReadmeExample[] = [];
  const installs: InstallLine[] = [];
  const problems: string[] = [];
  let pending: { directive: Directive | undefined; line: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i] ?? '';
    const marker = MARKER.exec(text);
    if (marker) {
      if (pending) problems.push(`${readme}:${pending.line}: marker not followed by a code block`);
      pending = { directive: parseDirective(marker[1] ?? '', `${readme}:${i + 1}`, problems), line: i + 1 };
      continue;
    }
    const fence = FENCE.exec(text);
    if (!fence) {
      if (pending && text.trim() !== '') {
        problems.push(`${readme}:${pending.line}: marker not followed by a code block`);
        pending = undefined;
      }
      continue;
    }
    const lang = fence[1] ?? '';
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !FENCE.test(lines[i] ?? ''); i++) body.push(lines[i] ?? '');
    if (i >= lines.length) problems.push(`${readme}:${start + 1}: code block never closed`);
    const code = `${body.join('\n')}\n`;
    if (pending?.directive) {
      const { mode, services, server, expect, file } = pending.directive;
      examples.push({
        readme,
        line: start + 1,
        lang,
        code,
        mode,
        services,
        server,
        expect,
        ...(file ? { file } : {}),
      });
    }
    pending = undefined;
    if (SHELLS.has(lang)) {
      const withPnpm = body.some((l) => /\bpnpm\s+add\b/.test(l));
      body.forEach((l, k) => {
        const parsed = installLine(l);
        if (parsed) installs.push({ readme, line: start + 2 + k, withPnpm, ...parsed });
      });
    }
  }
  if (pending) problems.push(`${readme}:${pending.line}: marker not followed by a code block`);
  return { examples, installs, problems };
}
