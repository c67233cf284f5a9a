import { ValidationError } from '@granary/core';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Checks a metric declaration the way prom-client does (Prometheus's name rules; `le` is reserved for
 * histogram buckets); throws a ValidationError naming the metric.
 */
export function checkMetricNames(name: string, labelNames: readonly string[], histogram: boolean): void {
  if (!METRIC_NAME.test(name))
    throw new ValidationError(`invalid metric name ${JSON.stringify(name)}`, 'name');
  for (const label of labelNames) {
    if (!LABEL_NAME.test(label) || label.startsWith('__')) {
      throw new ValidationError(`${name}: invalid label name ${JSON.stringify(label)}`, 'labelNames');
    }
    if (histogram && label === 'le') {
      throw new ValidationError(`${name}: le is reserved for histogram buckets`, 'labelNames');
    }
  }
}
