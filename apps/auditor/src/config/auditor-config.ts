import type { Thresholds } from '../report/thresholds.js';
import type { Experiment } from '../rules/segment-rule.js';

/** The auditor's configuration after defaults, file, environment and flags (durations in ms, paths absolute). */
export interface AuditorConfig {
  /** Absolute path of the registry file. */
  readonly registry: string;
  readonly online: {
    readonly type: 'redis' | 'memory';
    readonly redis: {
      readonly url?: string;
      readonly cluster?: readonly string[];
      readonly keyPrefix: string;
      readonly timeoutMs: number;
    };
  };
  readonly offline: {
    readonly root?: string;
    readonly pathPattern: string;
    readonly paths: Readonly<Record<string, string | readonly string[]>>;
    readonly eventTimestampColumn: string;
    readonly hivePartitioning: boolean;
    readonly setup: readonly string[];
  };
  readonly audit: {
    readonly views?: readonly string[];
    readonly sampleSize: number;
    readonly seed: number;
    readonly allowedLagMs: number;
    readonly time?: number;
    readonly scanOnline: boolean;
    readonly scanLimit: number;
    readonly floatTolerance: number;
  };
  readonly thresholds: Thresholds;
  readonly experiments: readonly Experiment[];
  readonly repair: boolean;
  readonly servedLog?: string;
  readonly stats: {
    readonly publish?: string;
    readonly windowMs: number;
    readonly per: 'entity' | 'row';
    readonly quantiles?: readonly number[];
  };
  readonly output: { readonly json?: string; readonly markdown?: string; readonly table: boolean };
  readonly serve: {
    readonly enabled: boolean;
    readonly host: string;
    readonly port: number;
    readonly intervalMs: number;
  };
  readonly log: { readonly level: string };
}
