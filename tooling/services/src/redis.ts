import { LOCALHOST, PORTS } from './endpoints.ts';
import { redisCommand } from './redis-probe.ts';
import type { ServiceDefinition } from './service.ts';

export const REDIS_INSTALL = 'apt-get install redis-server (Debian/Ubuntu) or brew install redis';

/** Redis 7 standalone from the system's `redis-server`, in memory only. */
export const redis: ServiceDefinition = {
  name: 'redis',
  startTimeoutMs: 20_000,
  stopGraceMs: 5_000,
  localPorts: () => [PORTS.redis],
  async prerequisites(toolbox) {
    if (toolbox.which('redis-server')) return [];
    return [{ service: 'redis', what: '`redis-server` is not on PATH', install: REDIS_INSTALL }];
  },
  async start(ctx) {
    await ctx.spawn('redis', 'redis-server', [
      '--port',
      String(PORTS.redis),
      '--bind',
      LOCALHOST,
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
      '--dir',
      ctx.paths.dataDir,
    ]);
  },
  async probe(endpoints, { timeoutMs }) {
    const reply = await redisCommand(endpoints.redis.url, ['PING'], timeoutMs);
    if (reply !== 'PONG') throw new Error(`PING answered ${String(reply)}`);
  },
};
