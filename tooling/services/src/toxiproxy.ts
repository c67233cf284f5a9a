import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { LOCALHOST, PORTS } from './endpoints.ts';
import { runToCompletion } from './process.ts';
import type { ServiceDefinition } from './service.ts';
import { TOXIPROXY_VERSION } from './versions.ts';

const MODULE = 'github.com/Shopify/toxiproxy/v2/cmd/server';

/** The cached toxiproxy server binary (`go install` names it `server`). */
export function toxiproxyBinary(cacheDir: string): string {
  return join(cacheDir, 'toxiproxy', TOXIPROXY_VERSION, 'bin', 'server');
}

/** Toxiproxy's server, built once from the Go module proxy, API on 18474. */
export const toxiproxy: ServiceDefinition = {
  name: 'toxiproxy',
  startTimeoutMs: 20_000,
  stopGraceMs: 5_000,
  localPorts: () => [PORTS.toxiproxy],
  async prerequisites(toolbox, cacheDir) {
    if (existsSync(toxiproxyBinary(cacheDir)) || toolbox.which('go')) return [];
    return [
      {
        service: 'toxiproxy',
        what: '`go` is not on PATH (needed once, to build the toxiproxy server)',
        install: 'apt-get install golang-go, or a Go toolchain from go.dev',
      },
    ];
  },
  async start(ctx) {
    const binary = toxiproxyBinary(ctx.cacheDir);
    if (!existsSync(binary)) {
      const dir = join(ctx.cacheDir, 'toxiproxy', TOXIPROXY_VERSION);
      const logFile = join(dir, 'go-install.log');
      mkdirSync(dir, { recursive: true });
      ctx.log(`building toxiproxy ${TOXIPROXY_VERSION} with go install (log: ${logFile})`);
      await runToCompletion('go', ['install', `${MODULE}@${TOXIPROXY_VERSION}`], {
        cwd: dir,
        env: { ...ctx.toolbox.env, GOBIN: join(dir, 'bin') },
        logFile,
        timeoutMs: 900_000,
      }).catch((error: unknown) => {
        throw new Error(`building toxiproxy failed (see ${logFile}): ${(error as Error).message}`);
      });
    }
    await ctx.spawn('toxiproxy', binary, ['-host', LOCALHOST, '-port', String(PORTS.toxiproxy)]);
  },
  async probe(endpoints, { timeoutMs }) {
    const response = await fetch(`${endpoints.toxiproxy.url}/version`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) throw new Error(`GET /version answered ${response.status}`);
    await response.text();
  },
};
