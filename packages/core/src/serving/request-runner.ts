import { RequiredFeatureError } from '../errors.js';
import { createDeadline, type Deadline } from '../fallback/deadline.js';
import { type FallbackContext, runFallbackChain } from '../fallback/fallback-chain.js';
import { EMPTY_ROW, failedOutcomes, type KeyOutcome, type ReadNext } from '../read-path/read-stage.js';
import { abortError } from '../store/abort.js';
import type { EntityKeyString } from '../store/entity-key.js';
import type { EngineMetrics } from '../telemetry/engine-metrics.js';
import type { GetFeaturesRequest } from './request.js';
import type { PlannedView, RequestPlan, RequestPlanner } from './request-planner.js';
import type { GetFeaturesResponse } from './response.js';
import type { RequiredFailure, ResponseAssembler } from './response-assembly.js';

/** What {@link createRequestRunner} needs. */
export interface RequestRunnerDeps {
  readonly planner: RequestPlanner;
  /** The read path (near cache down to the store). */
  readonly read: ReadNext;
  readonly assembler: ResponseAssembler;
  /** What the fail-fast check of required features may use (the fallback chain's sources). */
  readonly fallback: FallbackContext;
  readonly metrics: Pick<EngineMetrics, 'requests' | 'requestDuration' | 'requestedEntities'>;
}

/** Runs `get` requests. */
export interface RequestRunner {
  get(request: GetFeaturesRequest): Promise<GetFeaturesResponse>;
}

/** The label set of each request outcome, frozen so recorders can cache their series by identity. */
const OUTCOME_LABELS = {
  ok: Object.freeze({ outcome: 'ok' }),
  degraded: Object.freeze({ outcome: 'degraded' }),
  rejected: Object.freeze({ outcome: 'rejected' }),
  invalid: Object.freeze({ outcome: 'invalid' }),
  aborted: Object.freeze({ outcome: 'aborted' }),
} as const;

/** The first required feature of `pv` this outcome cannot serve (fail-fast check), if any. */
function requiredProblem(
  fallback: FallbackContext,
  pv: PlannedView,
  keyString: string,
  outcome: KeyOutcome,
): string | undefined {
  for (const f of pv.features) {
    if (!f.required) continue;
    if (outcome.failures?.has(f.name)) return f.name;
    if (outcome.row[f.name] === undefined) {
      const fb = runFallbackChain(pv.view, f, keyString, 'NOT_FOUND', fallback);
      if (fb === undefined || fb.source === 'none') return f.name;
    }
  }
  return undefined;
}

function requiredError(failures: readonly RequiredFailure[]): RequiredFeatureError {
  const refs = [...new Set(failures.map((f) => f.ref))];
  const entities = [...new Set(failures.map((f) => f.entityIndex))];
  const first = failures[0];
  return new RequiredFeatureError(
    `required feature(s) ${refs.join(', ')} could not be served for entities[${entities.join(', ')}]` +
      (first ? ` (${first.status}${first.reason ? `: ${first.reason}` : ''})` : ''),
    { cause: first?.cause, details: { features: refs, entities } },
  );
}

/**
 * Creates the runner of `get`: plan (validation before any store call), read every (view, key) of the
 * request once through the read path under the request's deadline, fail fast when a required feature
 * cannot be served, assemble the response. Records each request's outcome and duration.
 */
export function createRequestRunner(deps: RequestRunnerDeps): RequestRunner {
  const { planner, metrics } = deps;
  return {
    async get(request) {
      const started = performance.now();
      let plan: RequestPlan;
      try {
        plan = planner.plan(request);
      } catch (error) {
        metrics.requests.inc(OUTCOME_LABELS.invalid);
        throw error;
      }
      metrics.requestedEntities.inc(undefined, plan.entities.length);
      const callerSignal = request.signal;
      const deadline = createDeadline(plan.deadlineMs, callerSignal);
      try {
        return await run(deps, plan, deadline, callerSignal, started);
      } finally {
        deadline.dispose();
      }
    },
  };
}

/**
 * Reads one (view, key) through the read path and hands `onOutcome` what it learned, in the continuation
 * of the read itself; never rejects (a failed read is a failure per feature).
 */
function readKey(
  read: ReadNext,
  pv: PlannedView,
  keyString: EntityKeyString,
  signal: AbortSignal,
  minEventTime: number | undefined,
  onOutcome: (outcome: KeyOutcome) => void,
): Promise<void> {
  const stageRead = {
    view: pv.view,
    keys: [keyString],
    features: pv.names,
    signal,
    minEventTime,
    hot: false,
  };
  return read(stageRead).then(
    (outcomes) => onOutcome(outcomes[0] ?? PENDING),
    (error: unknown) => onOutcome(failedOutcomes(stageRead, error)[0] as KeyOutcome),
  );
}

async function run(
  deps: RequestRunnerDeps,
  plan: RequestPlan,
  deadline: Deadline,
  callerSignal: AbortSignal | undefined,
  started: number,
): Promise<GetFeaturesResponse> {
  const { metrics } = deps;
  const finish = (outcome: keyof typeof OUTCOME_LABELS) => {
    metrics.requests.inc(OUTCOME_LABELS[outcome]);
    metrics.requestDuration.observe(OUTCOME_LABELS[outcome], (performance.now() - started) / 1000);
  };
  const reject = (error: unknown, outcome: 'rejected' | 'aborted'): never => {
    finish(outcome);
    throw error;
  };
  if (callerSignal?.aborted) reject(abortError(callerSignal), 'aborted');

  const outcomes = new Map<string, KeyOutcome>();
  const reads: Promise<void>[] = [];
  let early: RequiredFailure | undefined;
  plan.views.forEach((pv, vi) => {
    for (const [j, entity] of plan.entities.entries()) {
      const { keyString } = entity.keys[vi] as RequestPlan['entities'][number]['keys'][number];
      const slot = `${vi}\u0000${keyString}`;
      if (outcomes.has(slot)) continue;
      outcomes.set(slot, PENDING);
      reads.push(
        readKey(deps.read, pv, keyString, deadline.signal, plan.minEventTime, (outcome) => {
          outcomes.set(slot, outcome);
          if (pv.hasRequired && early === undefined) {
            const name = requiredProblem(deps.fallback, pv, keyString, outcome);
            if (name !== undefined) {
              const failure = outcome.failures?.get(name);
              early = {
                ref: `${pv.view.name}:${name}`,
                entityIndex: j,
                status: failure !== undefined ? 'UNAVAILABLE' : 'NOT_FOUND',
                reason: undefined,
                cause: failure,
              };
              deadline.abort(new RequiredFeatureError('a required feature could not be served'));
            }
          }
        }),
      );
    }
  });

  if (reads.length > 0) {
    await new Promise<void>((resolve) => {
      let left = reads.length;
      const done = () => {
        left--;
        if (left === 0 || early !== undefined || callerSignal?.aborted) resolve();
      };
      for (const r of reads) r.then(done, done);
    });
  }
  if (early !== undefined) reject(requiredError([early]), 'rejected');
  if (callerSignal?.aborted) reject(abortError(callerSignal), 'aborted');

  const { response, requiredFailures } = deps.assembler.assemble(
    plan,
    (vi, ks) => outcomes.get(`${vi}\u0000${ks}`) ?? PENDING,
  );
  if (requiredFailures.length > 0) reject(requiredError(requiredFailures), 'rejected');
  finish(response.degraded ? 'degraded' : 'ok');
  return response;
}

/** Placeholder outcome of a read still pending (only visible if assembly ran early; never in practice). */
const PENDING: KeyOutcome = Object.freeze({ row: EMPTY_ROW, source: 'store', failures: undefined });
