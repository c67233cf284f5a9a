export * from './jsonl-served-log-sink.js';
export * from './served-log.js';
export * from './served-log-sampler.js';
export * from './watermark.js';
