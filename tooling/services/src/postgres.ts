import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { LOCALHOST, PORTS } from './endpoints.ts';
import type { ServiceDefinition } from './service.ts';
import type { Toolbox } from './toolbox.ts';

export const POSTGRES_INSTALL = 'apt-get install postgresql (Debian/Ubuntu) or brew install postgresql';
/** Debian's layout: one `bin/` per installed major version. */
const DEBIAN_ROOT = '/usr/lib/postgresql';
/** The unprivileged account Debian's package creates; PostgreSQL refuses to run as root. */
const POSTGRES_USER = 'postgres';

/**
 * The folder holding `initdb` and `postgres`: the newest major version under `root` (Debian's layout), else
 * whatever PATH has.
 */
export function postgresBinDir(toolbox: Toolbox, root = DEBIAN_ROOT): string | undefined {
  if (existsSync(root)) {
    const majors = readdirSync(root)
      .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (majors[0] !== undefined) return join(root, majors[0], 'bin');
  }
  const initdb = toolbox.which('initdb');
  return initdb ? join(initdb, '..') : undefined;
}

const asRoot = () => process.getuid?.() === 0;

/** Whether `/etc/passwd` has the account (Debian's package creates `postgres`). */
export function hasAccount(name: string, passwd = '/etc/passwd'): boolean {
  try {
    return readFileSync(passwd, 'utf8')
      .split('\n')
      .some((line) => line.startsWith(`${name}:`));
  } catch {
    return false;
  }
}

/** `command args` run as the `postgres` account when we are root (`setpriv`), else as ourselves. */
function unprivileged(command: string, args: readonly string[]): [string, string[]] {
  if (!asRoot()) return [command, [...args]];
  const who = [`--reuid=${POSTGRES_USER}`, `--regid=${POSTGRES_USER}`, '--init-groups'];
  return ['setpriv', [...who, command, ...args]];
}

/**
 * PostgreSQL from the system's binaries (Debian's `postgresql`) on 127.0.0.1:15432 only: a fresh cluster in
 * the run folder each start, trust authentication, no Unix socket, fsync off (test data need not survive a
 * crash). As root, `initdb` and the server run as the `postgres` account, which owns the data folder.
 */
export const postgres: ServiceDefinition = {
  name: 'postgres',
  startTimeoutMs: 30_000,
  stopGraceMs: 5_000,
  localPorts: () => [PORTS.postgres],
  async prerequisites(toolbox) {
    const missing = [];
    if (!postgresBinDir(toolbox)) {
      missing.push({
        service: 'postgres' as const,
        what: `no \`initdb\` under ${DEBIAN_ROOT}/*/bin or on PATH`,
        install: POSTGRES_INSTALL,
      });
    }
    if (asRoot() && !hasAccount(POSTGRES_USER)) {
      missing.push({
        service: 'postgres' as const,
        what: `no \`${POSTGRES_USER}\` account to run PostgreSQL as (it refuses to run as root)`,
        install: `${POSTGRES_INSTALL} (it creates the account), or useradd --system ${POSTGRES_USER}`,
      });
    }
    if (asRoot() && !toolbox.which('setpriv')) {
      missing.push({
        service: 'postgres' as const,
        what: '`setpriv` is not on PATH (needed to run PostgreSQL as the postgres user when root)',
        install: 'apt-get install util-linux',
      });
    }
    return missing;
  },
  async start(ctx) {
    const bin = postgresBinDir(ctx.toolbox);
    if (!bin) throw new Error(`PostgreSQL is not installed; install: ${POSTGRES_INSTALL}`);
    const data = ctx.paths.dataDir;
    if (asRoot()) {
      await ctx.run('chown', 'chown', [`${POSTGRES_USER}:${POSTGRES_USER}`, data]);
      // A checkout under a private home (/root is 0700) is out of the postgres account's reach.
      await ctx.run('access', ...unprivileged('test', ['-w', data])).catch((error: unknown) => {
        throw new Error(
          `the ${POSTGRES_USER} account cannot write ${data}: every folder above it needs o+x ` +
            `(or set GRANARY_POSTGRES_URL to a server of your own): ${(error as Error).message}`,
        );
      });
    }
    const initdb = ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--no-locale'];
    await ctx.run('initdb', ...unprivileged(join(bin, 'initdb'), initdb), { cwd: data });
    const server = ['-D', data, '-p', String(PORTS.postgres), '-c', `listen_addresses=${LOCALHOST}`];
    const settings = [
      'unix_socket_directories=',
      'fsync=off',
      'synchronous_commit=off',
      'full_page_writes=off',
    ];
    const args = [...server, ...settings.flatMap((s) => ['-c', s])];
    await ctx.spawn('postgres', ...unprivileged(join(bin, 'postgres'), args), { cwd: data });
  },
  async probe(endpoints, { timeoutMs }) {
    const client = new pg.Client({
      connectionString: endpoints.postgres.url,
      connectionTimeoutMillis: timeoutMs,
      query_timeout: timeoutMs,
    });
    try {
      await client.connect();
      const { rows } = await client.query<{ ok: number }>('SELECT 1 AS ok');
      if (rows[0]?.ok !== 1) throw new Error(`SELECT 1 answered ${JSON.stringify(rows)}`);
    } finally {
      await client.end().catch(() => undefined);
    }
  },
};
