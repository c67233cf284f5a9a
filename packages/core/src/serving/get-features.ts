import { RequiredFeatureError } from '../errors.js';
import { createDeadline, type Deadline } from '../fallback/deadline.js';
import { runFallbackChain } from '../fallback/fallback-chain.js';
import { abortError } from '../store/abort.js';
import type { EngineContext, ViewRuntime } from './engine-context.js';
import { type KeyOutcome, readKey } from './key-reader.js';
import type { GetFeaturesRequest } from './request.js';
import type { PlannedView, RequestPlan, RequestPlanner } from './request-planner.js';
import type { GetFeaturesResponse } from './response.js';
import { assembleResponse, type RequiredFailure } from './response-assembly.js';

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
  ctx: EngineContext,
  pv: PlannedView,
  keyString: string,
  outcome: KeyOutcome,
): string | undefined {
  for (const f of pv.features) {
    if (!f.required) continue;
    if (outcome.failures?.has(f.name)) return f.name;
    if (outcome.row[f.name] === undefined) {
      const fb = runFallbackChain(pv.view, f, keyString, 'NOT_FOUND', ctx);
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

/** Runs one `get`: plan, read every (view, key) once, fail fast on required features, assemble. */
export async function getFeatures(
  ctx: EngineContext,
  planner: RequestPlanner,
  request: GetFeaturesRequest,
): Promise<GetFeaturesResponse> {
  const started = performance.now();
  const { metrics, stats } = ctx;
  let plan: RequestPlan;
  try {
    plan = planner.plan(request);
  } catch (error) {
    stats.requestsInvalid++;
    metrics.requests.inc(OUTCOME_LABELS.invalid);
    throw error;
  }
  stats.requests++;
  stats.entities += plan.entities.length;
  const callerSignal = request.signal;
  const deadline = createDeadline(plan.deadlineMs, callerSignal);
  try {
    return await run(ctx, plan, deadline, callerSignal, started);
  } finally {
    deadline.dispose();
  }
}

async function run(
  ctx: EngineContext,
  plan: RequestPlan,
  deadline: Deadline,
  callerSignal: AbortSignal | undefined,
  started: number,
): Promise<GetFeaturesResponse> {
  const { metrics, stats } = ctx;
  const reject = (error: unknown, outcome: 'rejected' | 'aborted'): never => {
    stats.requestsRejected++;
    metrics.requests.inc(OUTCOME_LABELS[outcome]);
    metrics.requestDuration.observe(OUTCOME_LABELS[outcome], (performance.now() - started) / 1000);
    throw error;
  };
  if (callerSignal?.aborted) reject(abortError(callerSignal), 'aborted');

  const outcomes = new Map<string, KeyOutcome>();
  const reads: Promise<void>[] = [];
  let early: RequiredFailure | undefined;
  plan.views.forEach((pv, vi) => {
    const rt = ctx.views.get(pv.view.name) as ViewRuntime;
    for (const [j, entity] of plan.entities.entries()) {
      const { keyString, normalized } = entity.keys[vi] as RequestPlan['entities'][number]['keys'][number];
      const slot = `${vi}\u0000${keyString}`;
      if (outcomes.has(slot)) continue;
      outcomes.set(slot, PENDING);
      reads.push(
        readKey(ctx, rt, keyString, normalized, pv.names, {
          signal: deadline.signal,
          minEventTime: plan.minEventTime,
        }).then((outcome) => {
          outcomes.set(slot, outcome);
          if (pv.hasRequired && early === undefined) {
            const name = requiredProblem(ctx, pv, keyString, outcome);
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

  const { response, requiredFailures } = assembleResponse(
    ctx,
    plan,
    (vi, ks) => outcomes.get(`${vi}\u0000${ks}`) ?? PENDING,
  );
  if (requiredFailures.length > 0) reject(requiredError(requiredFailures), 'rejected');
  if (response.degraded) stats.requestsDegraded++;
  const outcome = response.degraded ? 'degraded' : 'ok';
  metrics.requests.inc(OUTCOME_LABELS[outcome]);
  metrics.requestDuration.observe(OUTCOME_LABELS[outcome], (performance.now() - started) / 1000);
  return response;
}

/** Placeholder outcome of a read still pending (only visible if assembly ran early; never in practice). */
const PENDING: KeyOutcome = Object.freeze({
  row: Object.freeze({}),
  source: 'store',
  failures: undefined,
});
