export type { PrometheusGauge } from './prometheus-gauge.js';
export {
  createPrometheusRecorder,
  type PrometheusRecorder,
  type PrometheusRecorderOptions,
} from './prometheus-recorder.js';
