import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from '@granary/core';
import { freePort } from '@granary/services';
import type { Log } from '../log.ts';
import type { ProcessSupervisor, SupervisedChild } from '../process-supervisor.ts';
import { SetupError } from '../setup-error.ts';
import { waitFor } from '../wait.ts';
import { scaleOutConsumerYaml, scaleOutRegistryYaml, scaleOutServerYaml } from './scale-out-configs.ts';
import type { ScaleOutOptions } from './scale-out-options.ts';

/** A started app process and where it answers. */
export interface AppProcess {
  readonly name: string;
  readonly child: SupervisedChild;
  readonly url: string;
}

/** Finds the built apps, or says how to build them. */
export function builtApps(root: string): { serverMain: string; consumerMain: string } {
  const serverMain = join(root, 'apps/server/dist/main.js');
  const consumerMain = join(root, 'apps/consumer/dist/main.js');
  for (const f of [serverMain, consumerMain, join(root, 'packages/redis/dist/index.js')]) {
    if (!existsSync(f))
      throw new SetupError(
        `${f} missing: pnpm --filter @granary/server... --filter @granary/consumer... build`,
      );
  }
  return { serverMain, consumerMain };
}

const getJson = async (url: string) => {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

/** Partitions each consumer holds, from its /healthz `assignment`. */
export async function assignedPartitions(consumer: AppProcess): Promise<number> {
  const { body } = await getJson(`${consumer.url}/healthz`);
  const assignment = (body.assignment ?? {}) as Record<string, number[]>;
  return Object.values(assignment).reduce((n, ps) => n + ps.length, 0);
}

/** Writes the configs and starts two servers and two consumers (one group), waiting until all are ready. */
export async function startApps(o: {
  readonly dir: string;
  readonly root: string;
  readonly options: ScaleOutOptions;
  readonly supervisor: ProcessSupervisor;
  readonly log: Log;
  readonly nodes: readonly string[];
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly keyPrefix: string;
}): Promise<{ servers: AppProcess[]; consumers: AppProcess[] }> {
  const { serverMain, consumerMain } = builtApps(o.root);
  writeFileSync(
    join(o.dir, 'registry.yaml'),
    scaleOutRegistryYaml({ topic: o.topic, partitions: o.options.partitions }),
  );
  const start = (name: string, main: string, yaml: string, port: number): AppProcess => {
    const file = join(o.dir, `${name}.yaml`);
    writeFileSync(file, yaml);
    const child = o.supervisor.start({
      name,
      command: process.execPath,
      args: [main, '--config', file],
      logFile: join(o.dir, `${name}.log`),
      env: { KAFKAJS_NO_PARTITIONER_WARNING: '1' },
    });
    return { name, child, url: `http://127.0.0.1:${port}` };
  };
  const servers: AppProcess[] = [];
  for (const name of ['server-1', 'server-2']) {
    const port = await freePort();
    const yaml = scaleOutServerYaml({
      nodes: o.nodes,
      keyPrefix: o.keyPrefix,
      port,
      deadlineMs: o.options.deadlineMs,
      logLevel: name === 'server-2' ? 'info' : 'warn',
    });
    servers.push(start(name, serverMain, yaml, port));
  }
  const consumers: AppProcess[] = [];
  for (const name of ['consumer-1', 'consumer-2']) {
    const port = await freePort();
    const yaml = scaleOutConsumerYaml({
      nodes: o.nodes,
      keyPrefix: o.keyPrefix,
      brokers: o.brokers,
      groupId: `${o.topic}-group`,
      deadLetterTopic: `${o.topic}-dlq`,
      port,
      sessionTimeoutMs: o.options.sessionTimeoutMs,
    });
    consumers.push(start(name, consumerMain, yaml, port));
  }
  for (const s of servers)
    await waitFor(`${s.name} /readyz`, async () => (await getJson(`${s.url}/readyz`)).status === 200, {
      timeoutMs: 60_000,
      proc: s.child.proc,
    });
  for (const c of consumers)
    await waitFor(`${c.name} /healthz`, async () => (await getJson(`${c.url}/healthz`)).status === 200, {
      timeoutMs: 60_000,
      proc: c.child.proc,
    });
  await waitFor(
    'the consumer group to assign every partition',
    async () =>
      (await Promise.all(consumers.map(assignedPartitions))).reduce((a, b) => a + b, 0) ===
      o.options.partitions,
    { timeoutMs: 60_000 },
  );
  o.log(
    `Started: ${[...servers, ...consumers].map((p) => `${p.name} pid ${p.child.proc.pid} (${p.url})`).join(', ')}`,
  );
  await sleep(500);
  return { servers, consumers };
}
