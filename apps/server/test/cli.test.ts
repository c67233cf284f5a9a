import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FLAGS, helpText } from '../src/cli/cli-flags.js';
import { type CliIo, EXIT, runCli } from '../src/cli/run-cli.js';
import { removeTempDirsAfterAll, tempDir } from './helpers/temp-dir.js';

removeTempDirsAfterAll();

function io(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  let stop: (s: string) => void = () => {};
  const signal = new Promise<string>((r) => {
    stop = r;
  });
  const cli: CliIo = {
    argv,
    env,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    untilSignal: () => signal,
  };
  return { cli, out, err, stop: (s: string) => stop(s) };
}

describe('runCli', () => {
  it('--help lists every flag with its default', async () => {
    const { cli, out } = io(['--help']);
    expect(await runCli(cli)).toBe(EXIT.ok);
    for (const f of FLAGS)
      expect(out.join('')).toMatch(new RegExp(`--${f.name}\\b[^\\n]*\\(default: [^)]+\\)`));
    expect(helpText()).toMatch(/--port <port>.*\(default: 8080\)/);
    expect(helpText()).toContain('GRANARY_ENGINE__MAX_DEADLINE  (default: 1m)');
  });

  it('exits 2 on an unknown flag', async () => {
    const { cli, err } = io(['--prot', '1']);
    expect(await runCli(cli)).toBe(EXIT.usage);
    expect(err.join('')).toContain("Unknown option '--prot'");
  });

  it('exits 2 on bad configuration, naming file and path', async () => {
    const dir = await tempDir('cli');
    const file = join(dir, 'bad.yaml');
    await writeFile(file, 'registry: { demo: true }\nauth: { mode: none }\nstore: { type: mongo }\n');
    const { cli, err } = io(['--config', file]);
    expect(await runCli(cli)).toBe(EXIT.usage);
    expect(err.join('')).toContain(`${file}: store.type: must be one of memory`);
  });

  it('exits 2 when an API key variable is missing', async () => {
    const dir = await tempDir('cli');
    const file = join(dir, 'auth.yaml');
    await writeFile(
      file,
      'registry: { demo: true }\nauth: { keys: [{ name: a, scopes: [read], secretEnv: MISSING_KEY }] }\n',
    );
    const { cli, err } = io([], { GRANARY_CONFIG: file });
    expect(await runCli(cli)).toBe(EXIT.usage);
    expect(err.join('')).toContain('MISSING_KEY is empty or not set');
  });

  it('exits 2 on a registry file with an error', async () => {
    const dir = await tempDir('cli');
    await writeFile(
      join(dir, 'registry.yaml'),
      'entities: []\nviews: [{ name: v, entity: nope, maxAge: 1m, features: [{ name: f, type: int64 }] }]\n',
    );
    await writeFile(join(dir, 's.yaml'), 'registry: { path: registry.yaml }\nauth: { mode: none }\n');
    const { cli, err } = io(['--config', join(dir, 's.yaml')]);
    expect(await runCli(cli)).toBe(EXIT.usage);
    expect(err.join('')).toMatch(/registry\.yaml: views\[0\]\.entity: unknown entity "nope"/);
  });

  it('exits 3 when the store cannot be reached at startup', async () => {
    const { cli, err } = io(['--port', '0', '--log-level', 'silent'], {
      GRANARY_STORE__TYPE: 'redis',
      GRANARY_STORE__REDIS__URL: 'redis://127.0.0.1:1',
      GRANARY_DEMO__ENABLED: 'false',
    });
    expect(await runCli(cli)).toBe(EXIT.startup);
    expect(err.join('')).toContain('startup failed');
  });

  it('starts the embedded default, prints the URL, and stops cleanly on a signal', async () => {
    const { cli, out, stop } = io(['--port', '0', '--log-level', 'silent', '--demo-lag', '30s']);
    let url = '';
    const done = runCli({
      ...cli,
      onListening: (server, u) => {
        url = u;
        expect(server.demo?.status().lagSeconds).toBe(30);
        stop('SIGTERM');
      },
    });
    expect(await done).toBe(EXIT.ok);
    expect(out.join('')).toContain(`listening on ${url}`);
  });
});
