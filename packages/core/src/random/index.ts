export * from './seeded-random.js';
export * from './zipf-sampler.js';
