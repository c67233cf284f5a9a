import { createJsonlServedLogSink, type ServedLogOptions } from '@granary/core';
import type { ServedLogConfig } from '../config/server-config.js';

/**
 * The engine's `servedLog` options from the `servedLog` section: sampling and buffering as configured (the
 * engine's defaults otherwise) and the sink, a JSONL file opened on the first write. The engine flushes
 * and closes the sink in `close()`.
 */
export function servedLogOptionsFrom(config: ServedLogConfig): ServedLogOptions {
  const { sink } = config;
  return {
    sink: createJsonlServedLogSink({ path: sink.path, bufferBytes: sink.bufferBytes }),
    sampleRate: config.sampleRate,
    maxBuffered: config.maxBuffered,
    maxBatch: config.maxBatch,
    flushIntervalMs: config.flushIntervalMs,
  };
}
