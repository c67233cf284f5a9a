import { describe, expect, it } from 'vitest';
import { engineMetricsText } from './serve-engine-metrics.js';

describe('the README example', () => {
  it("renders the engine's metrics next to the process metrics of the same registry", async () => {
    const text = await engineMetricsText();
    expect(text).toContain(
      'granary_served_values_total{view="user_stats",feature="clicks",status="PRESENT",source="store"} 1',
    );
    expect(text).toContain('# TYPE granary_served_age_seconds histogram');
    expect(text).toMatch(/granary_served_age_seconds_bucket\{le="\+Inf",view="user_stats"\} 1/);
    expect(text).toContain('# TYPE process_cpu_user_seconds_total counter');
  });
});
