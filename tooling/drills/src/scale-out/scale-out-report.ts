import type { Poll } from './http-poll.ts';
import type { ReadSample } from './read-load.ts';
import {
  findRegressions,
  type LatencySummary,
  lostEvents,
  summarizeLatency,
} from './scale-out-evaluation.ts';
import type { ScaleOutOptions } from './scale-out-options.ts';
import type { DrainOutcome } from './scale-out-phases.ts';
import { ms, pct, type TableRow } from './scale-out-table.ts';

/** Everything the drill measured, as the phases returned it. */
export interface ScaleOutMeasurements {
  readonly options: ScaleOutOptions;
  readonly samples: readonly ReadSample[];
  /** /readyz polls per server. */
  readonly readiness: Readonly<Record<string, readonly Poll[]>>;
  readonly consumerKill: { at: number; rebalancedAt: number | null };
  readonly masterKill: { at: number; port: number; replicaPort: number; promotedAt: number | null };
  readonly drain: DrainOutcome & { server: string };
  readonly produced: number;
  readonly lastProduced: ReadonlyMap<number, number>;
  readonly stored: ReadonlyMap<number, number | null>;
  readonly endAt: number;
}

const s = (msValue: number) => msValue / 1000;
/** `20 x 200, 3 x 503, 1 x no answer`. */
const count = (statuses: readonly number[]) =>
  [...new Set(statuses)]
    .sort((a, b) => a - b)
    .map((c) => `${statuses.filter((x) => x === c).length} x ${c === 0 ? 'no answer' : c}`)
    .join(', ');
const latencyText = (l: LatencySummary, limit: number) =>
  `${pct(l.share)} of ${l.reads} reads <= ${limit} ms (p50 ${ms(l.p50Ms)}, p99 ${ms(l.p99Ms)}, max ${ms(l.maxMs)}); ${l.degraded} degraded, ${l.errors} errors`;

/** The drill's table rows and the verdict of each expectation. */
export function buildReport(m: ScaleOutMeasurements): { rows: TableRow[]; ok: boolean; figures: object } {
  const limit = m.options.deadlineMs + m.options.slackMs;
  const { consumerKill: ck, masterKill: mk, drain } = m;
  const baseline = summarizeLatency(m.samples, limit, 0, ck.at);
  const afterConsumer = summarizeLatency(m.samples, limit, ck.at, mk.at);
  const outageEnd = mk.at + m.options.afterMasterKillMs;
  const outage = summarizeLatency(m.samples, limit, mk.at, outageEnd);
  const overall = summarizeLatency(m.samples, limit);
  const unready = Object.entries(m.readiness).flatMap(([server, polls]) =>
    polls
      .filter((p) => p.status !== 200 && !(server === drain.server && p.at >= drain.at))
      .map((p) => ({ server, ...p })),
  );
  const unreadyInOutage = unready.filter((p) => p.at >= mk.at && p.at < outageEnd);
  const lost = lostEvents(m.lastProduced, m.stored);
  const regressions = findRegressions(m.samples);
  const rows: TableRow[] = [
    {
      step: 'baseline',
      atS: 0,
      happened: '2 servers, 2 consumers (1 group), Redis Cluster 3+3',
      measured: latencyText(baseline, limit),
      pass: baseline.share === 1,
    },
    {
      step: 'SIGKILL consumer-1',
      atS: s(ck.at),
      happened:
        ck.rebalancedAt === null
          ? 'group did NOT rebalance within 60 s'
          : `consumer-2 took all ${m.options.partitions} partitions`,
      measured: `rebalanced after ${ck.rebalancedAt === null ? 'n/a' : `${s(ck.rebalancedAt - ck.at).toFixed(1)} s`} (session timeout ${s(m.options.sessionTimeoutMs)} s); reads: ${latencyText(afterConsumer, limit)}`,
      pass: ck.rebalancedAt !== null,
    },
    {
      step: `SIGKILL redis master :${mk.port}`,
      atS: s(mk.at),
      happened:
        mk.promotedAt === null
          ? `replica :${mk.replicaPort} NOT promoted within 60 s`
          : `replica :${mk.replicaPort} promoted after ${s(mk.promotedAt - mk.at).toFixed(1)} s`,
      measured: `next ${s(m.options.afterMasterKillMs)} s: ${latencyText(outage, limit)}`,
      pass: outage.share === 1,
    },
    {
      step: 'readiness during the outage',
      atS: s(mk.at),
      happened: `/readyz of both servers every 100 ms`,
      measured: `${unreadyInOutage.length} unready answers of ${Object.values(m.readiness).reduce((n, p) => n + p.filter((x) => x.at >= mk.at && x.at < outageEnd).length, 0)} polls (whole run: ${unready.length})`,
      pass: unreadyInOutage.length === 0,
    },
    {
      step: `SIGTERM ${drain.server}`,
      atS: s(drain.at),
      happened: `out of rotation, ${drain.statuses.length} large reads sent 20 ms before the signal; exit ${drain.exitCode}`,
      measured: `${drain.started} had reached the server: ${drain.startedAnswered} answered 200; client saw ${count(drain.statuses)}; last answer ${ms(drain.drainedMs)} after the signal`,
      pass: drain.started > 0 && drain.startedAnswered === drain.started && drain.exitCode === 0,
    },
    {
      step: 'events',
      atS: s(m.endAt),
      happened: `${m.produced} events acknowledged by Kafka for ${m.lastProduced.size} entities`,
      measured: `${lost.events} lost (${lost.entities} entities behind their last event); ${regressions.length} regressed store reads`,
      pass: lost.events === 0 && regressions.length === 0,
    },
    {
      step: 'all reads',
      atS: null,
      happened: `deadline ${m.options.deadlineMs} ms + ${m.options.slackMs} ms`,
      measured: latencyText(overall, limit),
      pass: overall.share === 1,
    },
  ];
  return {
    rows,
    ok: rows.every((r) => r.pass !== false),
    figures: {
      limitMs: limit,
      baseline,
      afterConsumer,
      outage,
      overall,
      unready,
      lost,
      regressions: regressions.length,
      drain,
    },
  };
}
