export {
  type Clock,
  createManualClock,
  type ManualClock,
  parseTime,
  systemClock,
  toIsoTime,
} from './clock.js';
export { type DurationInput, formatDuration, parseDuration } from './duration.js';
