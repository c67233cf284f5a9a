import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '@granary/services';
import type { Log } from './log.ts';
import type { ProcessSupervisor, SupervisedChild } from './process-supervisor.ts';
import { heartbeatThreshold, prometheusYaml, rulesMessage } from './prometheus-config.ts';

/** Options of {@link preparePrometheus}. */
export interface PreparePrometheusOptions {
  /** The repository root (for ops/prometheus/rules.yml). */
  readonly root: string;
  /** The temp folder the configs are written to. */
  readonly dir: string;
  /** The port of the server Prometheus scrapes. */
  readonly serverPort: number;
  readonly heartbeatIntervalS: number;
  /** The heartbeat alert (its threshold is checked and named in the printed line). */
  readonly alert: string;
  readonly log: Log;
}

/** Prometheus's configuration, written and ready to start. */
export interface PreparedPrometheus {
  /** The loopback port it will listen on. */
  readonly port: number;
  /** The heartbeat alert's threshold for the drill's interval, s. */
  readonly thresholdS: number;
}

/**
 * Writes `rules.yml` (the repository's rules, unchanged; the heartbeat threshold said on `log`) and `prometheus.yml`
 * into `dir`, and picks a free loopback port.
 */
export async function preparePrometheus(o: PreparePrometheusOptions): Promise<PreparedPrometheus> {
  const rules = readFileSync(join(o.root, 'ops/prometheus/rules.yml'), 'utf8');
  const thresholdS = heartbeatThreshold(rules, o.alert, o.heartbeatIntervalS);
  writeFileSync(join(o.dir, 'rules.yml'), rules);
  o.log(rulesMessage(o.alert, thresholdS, o.heartbeatIntervalS));
  const port = await freePort();
  writeFileSync(join(o.dir, 'prometheus.yml'), prometheusYaml(o.serverPort));
  return { port, thresholdS };
}

/** Starts `bin` on the config {@link preparePrometheus} wrote, its TSDB in `dir`, logging to prometheus.log. */
export function startPrometheus(
  supervisor: ProcessSupervisor,
  o: { readonly bin: string; readonly dir: string; readonly port: number },
): SupervisedChild {
  return supervisor.start({
    name: 'prometheus',
    command: o.bin,
    args: [
      `--config.file=${join(o.dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(o.dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${o.port}`,
      '--log.level=warn',
    ],
    logFile: join(o.dir, 'prometheus.log'),
  });
}
