export {
  type Clock,
  createManualClock,
  type ManualClock,
  parseTime,
  systemClock,
  toIsoTime,
} from './clock.js';
export { type DurationInput, formatDuration, parseDuration } from './duration.js';
export { type Backoff, BACKOFF_DEFAULTS, type BackoffJitter, type BackoffOptions, createBackoff } from './backoff.js';
