import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sleep } from '@granary/core';
import type { Logger } from 'pino';
import type { AuditReport } from '../report/report.js';
import type { AuditMetrics } from './audit-metrics.js';

/** Options of {@link serveAudits}. */
export interface ServeAuditsOptions {
  /** Runs one audit (its own signal is aborted on shutdown). */
  runOnce: (signal: AbortSignal) => Promise<AuditReport>;
  metrics: AuditMetrics;
  logger: Logger;
  host: string;
  port: number;
  /** Time between the end of one audit and the start of the next, ms. */
  intervalMs: number;
  /** Aborting it shuts the service down: the running audit is cancelled and the server closed. */
  signal: AbortSignal;
  /** Called once the metrics server listens. */
  onListening?: (address: { host: string; port: number }) => void;
}

/**
 * Runs audits every `intervalMs` until `signal` aborts, serving `GET /metrics` (Prometheus text from the
 * auditor's own registry) and `GET /healthz` (200 once an audit finished, 503 before or after a failure).
 */
export async function serveAudits(options: ServeAuditsOptions): Promise<void> {
  const { metrics, logger, signal } = options;
  let healthy = false;
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/metrics') {
      metrics.registry.metrics().then(
        (body) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body),
        (error: unknown) => res.writeHead(500).end(String(error)),
      );
    } else if (req.method === 'GET' && req.url === '/healthz') {
      res
        .writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' })
        .end(JSON.stringify({ ok: healthy }));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  logger.info({ host: address.address, port: address.port }, 'auditor metrics listening');
  options.onListening?.({ host: address.address, port: address.port });
  try {
    while (!signal.aborted) {
      const started = performance.now();
      try {
        const report = await options.runOnce(signal);
        metrics.record(report, (performance.now() - started) / 1000);
        healthy = true;
        logger.info({ ok: report.ok, breaches: report.breaches.length }, 'audit finished');
      } catch (error) {
        if (signal.aborted) break;
        healthy = false;
        metrics.recordFailure();
        logger.error({ err: error }, 'audit failed');
      }
      await sleep(options.intervalMs, signal).catch(() => {});
    }
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    logger.info('auditor service stopped');
  }
}
