import { isGranaryError, type WriteRow } from '@granary/core';
import type { ChunkPlan } from './chunk-planner.js';
import type { DeadLetter, DeadLetterPublisher } from './dead-letter.js';
import { classifyWriteError, errorCode } from './store-writer.js';
import type { Logger } from './telemetry.js';

/** The outcome of writing one chunk. */
export type ChunkWriteResult =
  /** The rows are in the store and the dead letters acknowledged: the chunk's offsets may be resolved. */
  | { readonly ok: true; readonly deadLetters: readonly DeadLetter[] }
  /**
   * Nothing may be resolved: the store failed temporarily (`store`), or the dead-letter topic did not
   * acknowledge (`dead-letters`). The partition must pause and the chunk be consumed again.
   */
  | { readonly ok: false; readonly stage: 'store' | 'dead-letters'; readonly error: unknown };

/** Writes planned chunks. */
export type ChunkWriter = (plan: ChunkPlan) => Promise<ChunkWriteResult>;

/** Options of {@link createChunkWriter}. */
export interface ChunkWriterOptions {
  /** One store write with its deadline (`createStoreWriter`). Required. */
  write: (rows: readonly WriteRow[]) => Promise<void>;
  /** Where dead letters go. Required. */
  deadLetters: DeadLetterPublisher;
  /** Logs each dead letter (at most 10 lines per chunk). Required. */
  logger: Logger;
}

/** At most this many dead letters are logged one per line per chunk; the rest are summed by reason. */
const LOGGED_LETTERS = 10;

/**
 * Creates the materializer's {@link ChunkWriter}: one `store.write` of the plan's folded rows, then the dead
 * letters. A write error is classified (`classifyWriteError`): a temporary one fails the chunk; a data error
 * (the store refused data the validator accepted) is isolated by writing the plan's events one by one, and
 * the refused ones become `STORE_REJECTED` dead letters.
 */
export function createChunkWriter(options: ChunkWriterOptions): ChunkWriter {
  const { write, deadLetters, logger } = options;
  return async (plan) => {
    let letters = plan.deadLetters;
    try {
      await write(plan.rows);
    } catch (error) {
      if (classifyWriteError(error) === 'transient') return { ok: false, stage: 'store', error };
      const isolated = await isolateRejected(write, plan);
      if (!Array.isArray(isolated)) return isolated;
      letters = [...letters, ...isolated];
    }
    if (letters.length > 0) {
      try {
        await deadLetters.publish(letters);
      } catch (error) {
        return { ok: false, stage: 'dead-letters', error };
      }
      logDeadLetters(logger, plan, letters);
    }
    return { ok: true, deadLetters: letters };
  };
}

/** Writes the plan's events one at a time; returns the refused ones as dead letters, or the temporary failure. */
async function isolateRejected(
  write: ChunkWriterOptions['write'],
  plan: ChunkPlan,
): Promise<DeadLetter[] | Extract<ChunkWriteResult, { ok: false }>> {
  const { topic, partition } = plan;
  const out: DeadLetter[] = [];
  for (const { row, message } of plan.events) {
    try {
      await write([row]);
    } catch (error) {
      if (classifyWriteError(error) === 'transient') return { ok: false, stage: 'store', error };
      out.push({
        topic,
        partition,
        message,
        reason: 'STORE_REJECTED',
        detail: `${errorCode(error)}: ${error instanceof Error ? error.message : String(error)}`,
        path: isGranaryError(error) && typeof error.details.path === 'string' ? error.details.path : '',
        view: row.view,
      });
    }
  }
  return out;
}

/** One line per dead letter, but at most {@link LOGGED_LETTERS} per chunk: a poison storm must not flood the logs. */
function logDeadLetters(logger: Logger, plan: ChunkPlan, letters: readonly DeadLetter[]): void {
  const { topic, partition } = plan;
  for (const l of letters.slice(0, LOGGED_LETTERS)) {
    const { reason, path, view, detail } = l;
    logger.warn(
      { topic, partition, offset: l.message.offset, reason, path, view, detail },
      'event dead-lettered',
    );
  }
  if (letters.length > LOGGED_LETTERS) {
    const byReason: Record<string, number> = {};
    for (const l of letters.slice(LOGGED_LETTERS)) byReason[l.reason] = (byReason[l.reason] ?? 0) + 1;
    const more = letters.length - LOGGED_LETTERS;
    logger.warn({ topic, partition, more, byReason }, 'more events dead-lettered');
  }
}
