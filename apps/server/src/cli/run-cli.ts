import { parseFlags, UsageError } from '@granary/config';
import { isGranaryError } from '@granary/core';
import { loadConfig } from '../config/load-config.js';
import { SERVER_CONFIG_SCHEMA, type ServerConfig } from '../config/server-config.js';
import { createGranaryServer, type GranaryServer } from '../granary-server.js';
import { FLAGS, helpText } from './cli-flags.js';
import { startupBanner } from './startup-banner.js';

/** What the CLI writes to and listens on; injectable for tests. */
export interface CliIo {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Resolves with the signal name that should stop the server. */
  readonly untilSignal: () => Promise<string>;
  /** Called with the server once it listens (tests). */
  readonly onListening?: (server: GranaryServer, url: string) => void;
}

/** Exit codes (CONVENTIONS: 2 bad usage/config; other non-zero for failures). */
export const EXIT = { ok: 0, usage: 2, startup: 3, crash: 4 } as const;

/**
 * Runs the server CLI: flags, config (file + environment), startup, banner, and graceful shutdown on the
 * first signal. Returns the exit code: 0 stopped cleanly, 2 bad usage or configuration, 3 startup failed,
 * 4 shutdown failed.
 */
export async function runCli(io: CliIo): Promise<number> {
  let config: ServerConfig;
  try {
    const flags = parseFlags(FLAGS, io.argv, SERVER_CONFIG_SCHEMA);
    if (flags.values.help) {
      io.stdout(helpText());
      return EXIT.ok;
    }
    const file = (flags.values.config as string | undefined) ?? (io.env.GRANARY_CONFIG || undefined);
    const loaded = loadConfig({
      env: io.env,
      overrides: flags.overrides,
      ...(file === undefined ? {} : { file }),
    });
    for (const warning of loaded.warnings) io.stderr(`granary-server: warning: ${warning}\n`);
    config = loaded.config;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`granary-server: ${error.message}\n\n${helpText()}`);
      return EXIT.usage;
    }
    if (isGranaryError(error, 'CONFIG_INVALID')) {
      io.stderr(`granary-server: bad configuration: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }

  let server: GranaryServer;
  try {
    server = await createGranaryServer({ config, env: io.env });
  } catch (error) {
    if (isGranaryError(error) && (error.code === 'CONFIG_INVALID' || error.code === 'VALIDATION_FAILED')) {
      io.stderr(`granary-server: bad configuration: ${error.message}\n`);
      return EXIT.usage;
    }
    io.stderr(`granary-server: startup failed: ${(error as Error).message}\n`);
    return EXIT.startup;
  }
  const url = await server.listen();
  io.stdout(`${startupBanner(url, config, server.engine.registry)}\n`);

  io.onListening?.(server, url);
  const signal = await io.untilSignal();
  server.logger.info({ signal }, 'signal received');
  try {
    await server.close();
    return EXIT.ok;
  } catch (error) {
    server.logger.error({ err: error }, 'shutdown failed');
    return EXIT.crash;
  }
}
