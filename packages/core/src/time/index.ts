export {
  BACKOFF_DEFAULTS,
  type Backoff,
  type BackoffJitter,
  type BackoffOptions,
  createBackoff,
} from './backoff.js';
export {
  type Clock,
  createManualClock,
  type ManualClock,
  parseTime,
  systemClock,
  toIsoTime,
} from './clock.js';
export { type DurationInput, formatDuration, parseDuration } from './duration.js';
