import { performance } from 'node:perf_hooks';
import { sleep } from '@granary/core';

/** One poll of a URL: when (ms since the drill's start) and the status (0: no answer). */
export interface Poll {
  readonly at: number;
  readonly status: number;
  readonly body: unknown;
}

/** Polls `url` every `intervalMs` until stopped, keeping every answer. */
export function startPolling(url: string, o: { intervalMs: number; startedAt: number; timeoutMs: number }) {
  const polls: Poll[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const at = performance.now() - o.startedAt;
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(o.timeoutMs) });
        const text = await res.text();
        let body: unknown = null;
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
        polls.push({ at, status: res.status, body });
      } catch {
        polls.push({ at, status: 0, body: null });
      }
      await sleep(o.intervalMs);
    }
  })();
  return {
    polls,
    async stop() {
      running = false;
      await loop;
    },
  };
}
