import { type FlagDefinition, helpText as generateHelp } from '@granary/config';
import { SERVER_CONFIG_SCHEMA } from '../config/server-config.js';

/** Every flag of granary-server; the ones with a `path` override that setting. */
export const FLAGS: readonly FlagDefinition[] = [
  {
    name: 'config',
    type: 'string',
    placeholder: '<file>',
    description: 'YAML or JSON config file',
    defaultText: '$GRANARY_CONFIG, else none (the embedded demo)',
  },
  {
    name: 'host',
    type: 'string',
    path: 'server.host',
    placeholder: '<host>',
    description: 'interface to listen on',
  },
  {
    name: 'port',
    type: 'string',
    path: 'server.port',
    placeholder: '<port>',
    description: 'port to listen on; 0 picks a free one',
  },
  {
    name: 'demo-lag',
    type: 'string',
    path: 'demo.lag',
    placeholder: '<duration>',
    description: 'simulated pipeline lag of the demo feed, e.g. 5m',
  },
  {
    name: 'log-level',
    type: 'string',
    path: 'log.level',
    placeholder: '<level>',
    description: 'fatal, error, warn, info, debug, trace, silent',
  },
  { name: 'help', short: 'h', type: 'boolean', description: 'print this help and exit', defaultText: 'off' },
];

/** The `--help` text: every flag with its default, every setting with its variable and default, exit codes. */
export function helpText(): string {
  return generateHelp({
    title: 'granary-server: the Granary reference feature server',
    usage: 'granary-server [--config <file>] [flags]',
    flags: FLAGS,
    schema: SERVER_CONFIG_SCHEMA,
    footer: [
      'Example: GRANARY_STORE__TYPE=redis GRANARY_STORE__REDIS__URL=redis://127.0.0.1:6379 GRANARY_SERVER__PORT=9000',
      'Without --config the embedded default runs: memory store, demo registry and feed, no auth.',
      '',
      'Exit codes: 0 stopped cleanly; 2 bad usage or configuration; 3 startup failed (store unreachable); 4 crash.',
    ],
  });
}
