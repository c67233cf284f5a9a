/**
 * The read load in its own thread, so the drill's producer, pollers and orchestration never delay a request or
 * its measurement. Started by {@link startReadLoadInWorker}; messages: `{ remove }`, `{ stop }` -> `{ samples }`.
 */
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { Pool } from 'undici';
import type { RequestTarget } from '../load-generator.ts';
import { type ReadSample, startReadLoad } from './read-load.ts';

interface WorkerInput {
  readonly urls: Readonly<Record<string, string>>;
  readonly rps: number;
  readonly entities: number;
  readonly startedAt: number;
}

if (parentPort && (workerData as { readLoad?: WorkerInput } | null)?.readLoad) {
  const input = (workerData as { readLoad: WorkerInput }).readLoad;
  const port = parentPort;
  const pools = new Map(
    Object.entries(input.urls).map(([name, url]) => [name, new Pool(url, { connections: 16 })]),
  );
  const load = startReadLoad({
    targets: pools as unknown as Map<string, RequestTarget>,
    rps: input.rps,
    entities: input.entities,
    startedAt: input.startedAt,
  });
  port.on('message', async (m: { remove?: string; stop?: boolean }) => {
    if (m.remove) load.remove(m.remove);
    if (m.stop) {
      await load.stop();
      for (const p of pools.values()) await p.close();
      port.postMessage({ samples: load.samples });
    }
  });
}

/** The read load of {@link startReadLoad}, run in a worker thread. */
export function startReadLoadInWorker(input: WorkerInput): {
  remove(server: string): void;
  stop(): Promise<readonly ReadSample[]>;
} {
  const worker = new Worker(new URL(import.meta.url), { workerData: { readLoad: input } });
  return {
    remove: (server) => worker.postMessage({ remove: server }),
    stop: () =>
      new Promise((resolve, reject) => {
        worker.once('message', (m: { samples: ReadSample[] }) => {
          void worker.terminate();
          resolve(m.samples);
        });
        worker.once('error', reject);
        worker.postMessage({ stop: true });
      }),
  };
}
