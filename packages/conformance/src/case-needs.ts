import type { CaseContext, CaseNeed, ConformanceCase } from './case.js';
import type { ConformanceCapability } from './options.js';

/** What the suite does with one case for one adapter. */
export type CaseDecision =
  | { readonly action: 'run' }
  /** The adapter declared it lacks a capability, or the store does not claim one: not run, with the reason. */
  | { readonly action: 'skip'; readonly reason: string; readonly capability?: ConformanceCapability }
  /** A hook is missing and undeclared: the case fails with this message. */
  | { readonly action: 'fail'; readonly message: string };

const hookOf = (ctx: CaseContext, need: CaseNeed): boolean => {
  if (need.capability === 'faults') return typeof ctx.faults[need.hook] === 'function';
  if (need.capability === 'backdoor') return typeof ctx.backdoor[need.hook] === 'function';
  return true; // The clock is always passed to `create`; only `without.clock` skips its case.
};

const describeNeed = (need: CaseNeed): string =>
  need.capability === 'clock' ? 'the injected clock' : `${need.capability}.${need.hook}`;

/**
 * Decides whether a case runs: a need declared in `options.without` skips it with the adapter's reason; a
 * missing hook that is not declared fails it; a capability the store does not claim (`skipReason`) skips it.
 */
export function decideCase(c: ConformanceCase, ctx: CaseContext): CaseDecision {
  const without = ctx.options.without ?? {};
  for (const need of c.needs ?? []) {
    const declared = without[need.capability];
    if (declared !== undefined) {
      return {
        action: 'skip',
        capability: need.capability,
        reason: `without.${need.capability}: ${declared}`,
      };
    }
    if (!hookOf(ctx, need)) {
      return {
        action: 'fail',
        message:
          `the case needs ${describeNeed(need)}, which the adapter does not provide: pass it in ` +
          `\`${need.capability}\`, or declare \`without: { ${need.capability}: '<why>' }\` to skip the ` +
          `${need.capability} cases with that reason in the report`,
      };
    }
  }
  const reason = c.skipReason?.(ctx);
  return reason === undefined ? { action: 'run' } : { action: 'skip', reason };
}
