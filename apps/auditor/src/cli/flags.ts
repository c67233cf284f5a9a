import { type FlagDefinition, helpText as generateHelp } from '@granary/config';
import { AUDITOR_CONFIG_SCHEMA } from '../config/auditor-config.js';

const value = (
  name: string,
  path: string,
  placeholder: string,
  description: string,
  defaultText?: string,
): FlagDefinition => ({
  name,
  type: 'string',
  path,
  placeholder,
  description,
  ...(defaultText === undefined ? {} : { defaultText }),
});

/** Every flag of granary-auditor, in help order; the ones with a `path` override that setting. */
export const FLAGS: readonly FlagDefinition[] = [
  {
    name: 'config',
    type: 'string',
    placeholder: '<file>',
    description: 'Config file (YAML/JSON); env GRANARY_AUDITOR_CONFIG.',
    defaultText: 'none',
  },
  value('registry', 'registry.path', '<file>', 'Registry file.', 'required'),
  value('views', 'audit.views', '<a,b>', 'Views to audit, comma-separated.'),
  value('sample-size', 'audit.sampleSize', '<n>', 'Keys sampled per view.'),
  value('seed', 'audit.seed', '<n>', 'Seed of the key-hash sample.'),
  value('allowed-lag', 'audit.allowedLag', '<duration>', 'Offline truth is read as of now minus this.'),
  value('time', 'audit.time', '<iso>', 'Audit time.'),
  {
    name: 'repair',
    type: 'boolean',
    path: 'repair',
    description: 'Write offline truth back for missing/mismatched values (monotonic).',
  },
  value('served-log', 'servedLog', '<file>', 'Audit a served-feature log (JSONL).'),
  value('publish-stats', 'stats.publish', '<file>', 'Publish population statistics (JSON) to this file.'),
  value('stats-window', 'stats.window', '<duration>', 'Window of the population statistics.'),
  value('json', 'output.json', '<file|->', 'Write the JSON report (- for stdout).'),
  value('markdown', 'output.markdown', '<file>', 'Write the Markdown report.'),
  {
    name: 'no-table',
    type: 'boolean',
    path: 'output.table',
    sets: false,
    description: 'Do not print the summary table.',
    defaultText: 'table printed',
  },
  {
    name: 'serve',
    type: 'boolean',
    path: 'serve.enabled',
    description: 'Run as a service: audit every --interval, serve /metrics.',
  },
  value('host', 'serve.host', '<addr>', 'Metrics listen address.'),
  value('port', 'serve.port', '<n>', 'Metrics port.'),
  value('interval', 'serve.interval', '<duration>', 'Time between audits in --serve mode.'),
  value('log-level', 'log.level', '<level>', 'pino log level.'),
  { name: 'help', short: 'h', type: 'boolean', description: 'Show this help.', defaultText: 'false' },
];

/** The `--help` text: every flag with its default, every setting with its variable and default. */
export function helpText(): string {
  return generateHelp({
    title:
      'granary-auditor: compares the online store with offline truth (Parquet via DuckDB), repairs drift, checks experiment segments and served logs, publishes population statistics.',
    usage: 'granary-auditor --config <file> [flags]',
    flags: FLAGS,
    schema: AUDITOR_CONFIG_SCHEMA,
    footer: [
      'Exit codes: 0 ok, 1 a threshold was breached, 2 bad usage or configuration, 3 the audit failed.',
    ],
  });
}
