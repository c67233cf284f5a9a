#!/usr/bin/env node
// `pnpm services <up|down|status|logs|env> [service...]`: see tooling/services/README.md.
import { parseArgs } from 'node:util';
import { down } from './down.ts';
import { ENV_VARS, endpointOf, serviceEndpoints } from './endpoints.ts';
import { ServicesError } from './errors.ts';
import { logFiles, tail } from './logs.ts';
import { DEFAULT_SERVICE_NAMES, parseServiceNames, SERVICE_NAMES, type ServiceName } from './names.ts';
import { statePaths } from './paths.ts';
import { status } from './status.ts';
import { up } from './up.ts';

const USAGE = `usage: pnpm services <command> [service...]
  services: ${SERVICE_NAMES.join(', ')}
  no service means all of them, except for up: ${DEFAULT_SERVICE_NAMES.join(', ')}

commands:
  up [service...]              start what is missing, wait until each answers (idempotent)
  down [service...]            stop the processes this tool started (by recorded pid)
  status [--json] [service...] running/healthy, pids, ports, url
  logs [-n LINES] [service...] the last LINES (default 40) lines of each log, with its path
  env [service...]             export lines for the GRANARY_* variables
  help                         this text`;

function say(line: string): void {
  process.stderr.write(`[services] ${line}\n`);
}

function pad(text: string, width: number): string {
  return text.padEnd(width);
}

async function cmdUp(names: ServiceName[]): Promise<number> {
  const began = Date.now();
  try {
    const results = await up(names, { log: say });
    for (const r of results) {
      const what =
        r.outcome === 'started'
          ? `started in ${r.seconds.toFixed(1)} s`
          : r.outcome === 'running'
            ? 'already running'
            : 'external, answers';
      say(`${pad(r.service, 18)}${pad(what, 22)}${r.url}`);
    }
    say(`all healthy in ${((Date.now() - began) / 1000).toFixed(1)} s`);
    return 0;
  } catch (error) {
    if (error instanceof ServicesError) {
      say(`error: ${error.message}`);
      if (error.failures.some((f) => f.logFile)) say('see `pnpm services logs <service>` for the full logs');
      return 1;
    }
    throw error;
  }
}

async function cmdDown(names: ServiceName[]): Promise<number> {
  const results = await down(names, { log: say });
  for (const r of results) {
    const what =
      r.stopped.length > 0 ? `stopped (pid ${r.stopped.join(', ')})` : 'not running (nothing of ours)';
    say(`${pad(r.service, 18)}${what}${r.note ? `; ${r.note}` : ''}`);
  }
  return 0;
}

async function cmdStatus(names: ServiceName[], json: boolean): Promise<number> {
  const result = await status(names);
  if (json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  }
  const rows = [['SERVICE', 'STATE', 'PIDS', 'PORTS', 'URL']];
  for (const name of names) {
    const s = result[name];
    if (!s) continue;
    const external = s.external ? ' (external)' : '';
    const state = s.healthy ? `healthy${external}` : s.running || s.external ? `DOWN${external}` : 'stopped';
    rows.push([name, state, s.pids.join(',') || '-', s.ports.join(','), s.url]);
  }
  // Columns as wide as their longest cell (a 6-node cluster lists six pids and ports).
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)) + 2) ?? [];
  const lines = rows.map((r) =>
    r.map((cell, c) => (c < r.length - 1 ? pad(cell, widths[c] ?? 0) : cell)).join(''),
  );
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

function cmdLogs(names: ServiceName[], lines: number): number {
  const paths = statePaths();
  for (const name of names) {
    const files = logFiles(paths.service(name).runDir);
    if (files.length === 0) {
      process.stdout.write(`==> ${name}: no logs yet (${paths.display(paths.service(name).runDir)}) <==\n\n`);
      continue;
    }
    for (const file of files) {
      process.stdout.write(`==> ${paths.display(file)} <==\n${tail(file, lines)}\n\n`);
    }
  }
  return 0;
}

function cmdEnv(names: ServiceName[]): number {
  const endpoints = serviceEndpoints();
  for (const name of names) {
    process.stdout.write(`export ${ENV_VARS[name]}=${endpointOf(endpoints, name).url}\n`);
  }
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      lines: { type: 'string', short: 'n', default: '40' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || command === undefined || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined && !values.help ? 2 : 0;
  }
  const names = parseServiceNames(rest, command === 'up' ? DEFAULT_SERVICE_NAMES : SERVICE_NAMES);
  switch (command) {
    case 'up':
      return cmdUp(names);
    case 'down':
      return cmdDown(names);
    case 'status':
      return cmdStatus(names, values.json);
    case 'logs': {
      const lines = Number(values.lines);
      if (!Number.isInteger(lines) || lines <= 0)
        throw new UsageError(`-n wants a positive integer, got ${values.lines}`);
      return cmdLogs(names, lines);
    }
    case 'env':
      return cmdEnv(names);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

class UsageError extends Error {}

// kafkajs 2.2.4 schedules a negative timeout in its request throttling; Node >= 23 warns about it on every
// probe. Harmless: print every other warning as usual.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name !== 'TimeoutNegativeWarning')
    process.stderr.write(`${warning.name}: ${warning.message}\n`);
});

main(process.argv.slice(2)).then(
  (code) => {
    // Exit now rather than wait for a client library's lingering timer (stdout is synchronous on Linux).
    process.exit(code);
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    const usage =
      error instanceof UsageError || /unknown service|Unknown option|Unexpected argument/.test(message);
    say(`error: ${message}`);
    if (usage) process.stderr.write(`${USAGE}\n`);
    process.exit(usage ? 2 : 1);
  },
);
