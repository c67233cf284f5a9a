import type { EntityResult, GetFeaturesResponse, ServedFeature } from '@granary/core';
import { createLatencyRecorder, type LatencySummary } from './latency.ts';

/** Options of {@link createResponseTally}. */
export interface ResponseTallyOptions {
  /** The engine's deadline, ms. */
  readonly deadlineMs: number;
  /** What a response may take past the deadline and still count as inside it, ms. */
  readonly slackMs: number;
  /**
   * Says why a served value is wrong (a value nobody wrote, `NOT_FOUND` for a written key, ...), or returns
   * `undefined` when it is right. Default: every value is right.
   */
  readonly wrongValue?: (entity: EntityResult, ref: string, served: ServedFeature) => string | undefined;
  /** How many wrong values to keep as examples. Default: 10. */
  readonly examples?: number;
}

/** What {@link ResponseTally.record} found in one response. */
export interface ResponseVerdict {
  readonly late: boolean;
  readonly thrown: boolean;
  readonly degraded: boolean;
}

/** The counts of a {@link ResponseTally}. */
export interface ResponseTallySummary {
  readonly requests: number;
  /** Responses slower than deadline + slack, measured from the call. */
  readonly late: number;
  /** Share of responses inside deadline + slack, % (3 decimals). */
  readonly withinDeadlinePlusSlackPct: number;
  /** `get` calls that threw (every feature is optional: the target is 0). */
  readonly thrown: number;
  /** Responses with at least one value not PRESENT. */
  readonly degradedResponses: number;
  readonly degradedPct: number;
  /** Degraded values without a reason or a source. */
  readonly unlabelled: number;
  readonly statuses: Record<string, number>;
  readonly sources: Record<string, number>;
  readonly reasons: Record<string, number>;
  readonly wrongValues: number;
  readonly wrongExamples: readonly string[];
  readonly serviceLatency: LatencySummary;
}

/** Counts what the engine answered: lateness, throws, statuses, sources, reasons and wrong values. */
export interface ResponseTally {
  /** Records one outcome of `engine.get` and its latency from the call, ms. */
  record(value: unknown, error: unknown, serviceMs: number): ResponseVerdict;
  summary(): ResponseTallySummary;
}

const bump = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

const pct = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 100_000) / 1000);

/** A tally of engine responses against a deadline (see {@link ResponseTallyOptions}). */
export function createResponseTally(options: ResponseTallyOptions): ResponseTally {
  const service = createLatencyRecorder();
  const statuses: Record<string, number> = {};
  const sources: Record<string, number> = {};
  const reasons: Record<string, number> = {};
  const wrongExamples: string[] = [];
  const maxExamples = options.examples ?? 10;
  let requests = 0;
  let late = 0;
  let thrown = 0;
  let degradedResponses = 0;
  let unlabelled = 0;
  let wrongValues = 0;

  const inspect = (entity: EntityResult, ref: string, v: ServedFeature) => {
    bump(statuses, v.status);
    bump(sources, v.source);
    if (v.reason) bump(reasons, v.reason);
    if (v.status !== 'PRESENT' && (v.reason === undefined || v.source === undefined)) unlabelled++;
    const wrong = options.wrongValue?.(entity, ref, v);
    if (wrong !== undefined) {
      wrongValues++;
      if (wrongExamples.length < maxExamples) wrongExamples.push(wrong);
    }
  };

  return {
    record(value, error, serviceMs) {
      requests++;
      service.record(serviceMs);
      const isLate = serviceMs > options.deadlineMs + options.slackMs;
      if (isLate) late++;
      if (error !== undefined) {
        thrown++;
        return { late: isLate, thrown: true, degraded: true };
      }
      const response = value as GetFeaturesResponse;
      if (response.degraded) degradedResponses++;
      for (const entity of response.entities) {
        for (const [ref, v] of Object.entries(entity.features)) inspect(entity, ref, v);
      }
      return { late: isLate, thrown: false, degraded: response.degraded };
    },
    summary() {
      return {
        requests,
        late,
        withinDeadlinePlusSlackPct: pct(requests - late, requests),
        thrown,
        degradedResponses,
        degradedPct: pct(degradedResponses, requests),
        unlabelled,
        statuses,
        sources,
        reasons,
        wrongValues,
        wrongExamples,
        serviceLatency: service.summary(),
      };
    },
  };
}
