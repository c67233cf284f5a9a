import { join } from 'node:path';
import { failure, runCommand } from './process.ts';
import type { ReadmeOf } from './readme-rules.ts';
import { type StartedServer, startServer, waitUntilServing } from './server-process.ts';
import type { PackedTarball } from './workspace-packages.ts';

/** The reference server's bin: `npx <its package>` must serve the demo. */
export const SERVER_BIN = 'granary-server';
const START_TIMEOUT_MS = 60_000;
const SERVING_TIMEOUT_MS = 30_000;

export interface BinContext {
  readonly project: string;
  readonly packed: ReadonlyMap<string, PackedTarball>;
  readonly readmes: readonly ReadmeOf[];
  readonly env: NodeJS.ProcessEnv;
  readonly notes: string[];
}

function binsOf(t: PackedTarball): string[] {
  const bin = t.manifest.bin;
  if (typeof bin === 'string') return [t.name.replace(/^@[^/]+\//, '')];
  return bin !== null && typeof bin === 'object' ? Object.keys(bin) : [];
}

async function helpRuns(ctx: BinContext, bin: string): Promise<string[]> {
  const r = await runCommand(join(ctx.project, 'node_modules', '.bin', bin), ['--help'], {
    cwd: ctx.project,
    env: ctx.env,
    timeoutMs: 60_000,
  });
  const failed = failure(r);
  if (failed) return [`${bin} --help: ${failed}`];
  if (!r.stdout.includes('--config')) return [`${bin} --help: printed no --config flag:\n${r.stdout}`];
  ctx.notes.push(`${bin} --help: ok (${Math.round(r.ms)} ms)`);
  return [];
}

/** Serves, runs `whileUp` against it, stops; the problems of all three. */
async function serve(
  ctx: BinContext,
  what: string,
  start: () => Promise<StartedServer>,
  whileUp: (server: StartedServer) => Promise<string[]>,
  wantExitCode: boolean,
): Promise<string[]> {
  let server: StartedServer;
  try {
    server = await start();
  } catch (error) {
    return [`${what}: ${(error as Error).message}`];
  }
  const problems: string[] = [];
  const notServing = await waitUntilServing(server, SERVING_TIMEOUT_MS);
  if (notServing) problems.push(`${what} on ${server.url}: ${notServing}`);
  else problems.push(...(await whileUp(server)));
  const ended = await server.stop();
  if (ended.killed) problems.push(`${what}: did not stop within 20 s of SIGTERM (killed)`);
  else if (wantExitCode && ended.code !== 0)
    problems.push(`${what}: exited ${ended.code ?? ended.signal} after SIGTERM, not 0`);
  if (problems.length === 0) ctx.notes.push(`${what}: served the demo on ${server.url}, stopped on SIGTERM`);
  return problems;
}

/**
 * Every bin of every packed package answers `--help`; `npx <server package> --port 0` serves the demo (the
 * banner's own example request gets a PRESENT value) and `whileUp` runs against it (the README examples
 * that need a server); the same bin started with the server README's `file` block as `--config` serves it
 * too and exits 0 on SIGTERM.
 */
export async function exerciseBins(
  ctx: BinContext,
  whileUp: (url: string, notes: string[]) => Promise<string[]>,
): Promise<string[]> {
  const problems: string[] = [];
  for (const t of ctx.packed.values())
    for (const bin of binsOf(t)) problems.push(...(await helpRuns(ctx, bin)));
  const server = [...ctx.packed.values()].find((t) => binsOf(t).includes(SERVER_BIN));
  if (!server) return [...problems, `no packed package has the ${SERVER_BIN} bin`];
  const opts = { cwd: ctx.project, env: ctx.env, timeoutMs: START_TIMEOUT_MS };
  problems.push(
    ...(await serve(
      ctx,
      `npx ${server.name}`,
      () => startServer('npx', [server.name, '--port', '0'], opts),
      (s) => whileUp(s.url, ctx.notes),
      false,
    )),
  );
  const config = ctx.readmes
    .find((r) => r.name === server.name)
    ?.parsed.examples.find((e) => e.mode === 'file');
  if (!config?.file)
    return [...problems, `${server.name} README: no <!-- packaging: file ... --> config block`];
  const bin = join(ctx.project, 'node_modules', '.bin', SERVER_BIN);
  problems.push(
    ...(await serve(
      ctx,
      `${SERVER_BIN} --config ${config.file}`,
      () => startServer(bin, ['--config', config.file as string, '--port', '0'], opts),
      async () => [],
      true,
    )),
  );
  return problems;
}
